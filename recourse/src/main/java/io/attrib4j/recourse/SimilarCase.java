package io.attrib4j.recourse;

/**
 * One neighbour of a query row.
 *
 * @param index its row in the indexed data
 * @param distance its distance to the query in the index's space and metric
 * @param label its label, or -1 when the data had none
 * @param prediction the model's class for it (computed once, when the index was built)
 */
public record SimilarCase(int index, double distance, int label, int prediction) {}
