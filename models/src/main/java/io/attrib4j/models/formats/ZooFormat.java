package io.attrib4j.models.formats;

import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.models.LoadedModel;
import io.attrib4j.models.ModelDevice;
import io.attrib4j.models.ModelFormat;
import io.attrib4j.models.ModelSpec;
import io.attrib4j.models.zoo.MarkerTransformer;
import io.attrib4j.models.zoo.PatchModel;
import io.attrib4j.models.zoo.StripesModel;
import io.attrib4j.models.zoo.Zoo;

/** The built-in models: {@code zoo:patch}, {@code zoo:stripes}, {@code zoo:transformer}, {@code zoo:resnet18}. */
public final class ZooFormat implements ModelFormat {

    @Override
    public String name() {
        return "zoo";
    }

    @Override
    public String description() {
        return "built-in models: zoo:patch, zoo:stripes, zoo:transformer (trained in-process), zoo:resnet18";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean accepts(ModelSpec spec) {
        return spec.zooName().isPresent();
    }

    @Override
    public LoadedModel load(ModelSpec spec) {
        String name = spec.zooName().orElseThrow(() -> new ModelLoadException("'" + spec.location()
                + "' is not a zoo model; zoo models are named zoo:NAME"));
        Formats.refuseHead(spec, "a zoo model");
        Formats.refuseAttentionOutput(spec, "zoo:transformer gives its attention without it");
        if (!name.equals("resnet18")) {
            Formats.requireCpu(spec, "zoo:" + name + " (trained on the CPU in this JVM)");
        }
        switch (name) {
            case "patch": {
                PatchModel p = Zoo.patchClassifier();
                return new LoadedModel(p.model(), p.classNames(), null);
            }
            case "stripes": {
                StripesModel s = Zoo.stripesClassifier();
                return new LoadedModel(s.model(), s.classNames(), null);
            }
            case "transformer": {
                MarkerTransformer t = Zoo.markerTransformer();
                return new LoadedModel(t.model(), t.classNames(), t.vocabulary());
            }
            case "resnet18":
                return LoadedModel.of(Zoo.resnet18(1000, 224, 42L, spec.device() == null ? ModelDevice.CPU : spec.device()));
            default:
                throw new ModelLoadException("unknown zoo model '" + name
                        + "'; built-in models are zoo:patch (3x32x32 colour-square classifier, trained in-process), "
                        + "zoo:stripes (3x32x32 horizontal-stripes classifier for probes and TCAV, trained in-process), "
                        + "zoo:transformer (marker-word text classifier, token ids [N,12], trained in-process) and "
                        + "zoo:resnet18 (ResNet-18, 3x224x224, random seeded weights)");
        }
    }
}
