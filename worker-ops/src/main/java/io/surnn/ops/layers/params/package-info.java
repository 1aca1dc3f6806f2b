/**
 * Parameter initializers of the su-layers, one per cell family, with the parameter keys as public
 * constants (their javadoc states each key's shape and meaning; docs/parameters.md is built from them).
 */
package io.surnn.ops.layers.params;
