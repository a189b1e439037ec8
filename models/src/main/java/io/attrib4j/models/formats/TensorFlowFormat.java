package io.attrib4j.models.formats;

import io.attrib4j.models.LoadedModel;
import io.attrib4j.models.ModelFormat;
import io.attrib4j.models.ModelSpec;
import io.attrib4j.models.tf.TensorFlowModel;
import java.nio.file.Files;

/** A TensorFlow SavedModel directory, with graph-mode gradients. */
public final class TensorFlowFormat implements ModelFormat {

    @Override
    public String name() {
        return "tensorflow";
    }

    @Override
    public String description() {
        return "TensorFlow SavedModel directory: gradients, any graph operation as a layer";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public boolean accepts(ModelSpec spec) {
        return spec.zooName().isEmpty() && Files.isDirectory(spec.path());
    }

    @Override
    public LoadedModel load(ModelSpec spec) {
        Formats.requirePlainCpuModel(spec, "a TensorFlow SavedModel", "a SavedModel's attention is not supported yet");
        return LoadedModel.of(TensorFlowModel.load(spec.path()));
    }
}
