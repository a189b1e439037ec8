package io.attrib4j.trees;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_float;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlib;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Test-scoped fixture builder over LightGBM's own JNI package (com.microsoft.ml.lightgbm:lightgbmlib 3.3.510):
 * trains a booster on a float matrix, saves it as text, and predicts (value, raw score, contributions) with
 * LightGBM itself. The natives come out of the jar into a temporary folder.
 */
final class LightGbmNative implements AutoCloseable {
    private static final int FLOAT32 = 0;
    private static final int FLOAT64 = 1;
    static final int PREDICT_NORMAL = 0;
    static final int PREDICT_RAW = 1;
    static final int PREDICT_CONTRIB = 3;
    private static String loadError;
    private static boolean loaded;

    private final SWIGTYPE_p_void booster;
    private final SWIGTYPE_p_void dataset;
    private final int features;

    /** Loads the natives once; the reason when they cannot be loaded here, else null. */
    static synchronized String loadFailure() {
        if (!loaded && loadError == null) {
            try {
                Path dir = Files.createTempDirectory("lightgbm");
                for (String lib : new String[] {"lib_lightgbm.so", "lib_lightgbm_swig.so"}) {
                    Path out = dir.resolve(lib);
                    try (InputStream in = lightgbmlib.class.getResourceAsStream(
                            "/com/microsoft/ml/lightgbm/linux/x86_64/" + lib)) {
                        if (in == null) {
                            throw new IOException(lib + " is not in the lightgbmlib jar");
                        }
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                    System.load(out.toString());
                }
                loaded = true;
            } catch (IOException | UnsatisfiedLinkError e) {
                loadError = "LightGBM natives do not load here: " + e;
            }
        }
        return loaded ? null : loadError;
    }

    /** Trains {@code rounds} iterations with {@code params} (LightGBM's "key=value key=value" form). */
    LightGbmNative(float[] x, int rows, int features, float[] labels, String params, int rounds) {
        this.features = features;
        SWIGTYPE_p_float data = floats(x);
        SWIGTYPE_p_p_void out = lightgbmlib.new_voidpp();
        check(lightgbmlib.LGBM_DatasetCreateFromMat(lightgbmlib.float_to_voidp_ptr(data), FLOAT32, rows, features, 1,
                params, null, out));
        dataset = lightgbmlib.voidpp_value(out);
        check(lightgbmlib.LGBM_DatasetSetField(dataset, "label", lightgbmlib.float_to_voidp_ptr(floats(labels)), rows,
                FLOAT32));
        SWIGTYPE_p_p_void b = lightgbmlib.new_voidpp();
        check(lightgbmlib.LGBM_BoosterCreate(dataset, params, b));
        booster = lightgbmlib.voidpp_value(b);
        var finished = lightgbmlib.new_intp();
        for (int i = 0; i < rounds; i++) {
            check(lightgbmlib.LGBM_BoosterUpdateOneIter(booster, finished));
        }
    }

    /** The model as LightGBM's text format. */
    String modelText() {
        SWIGTYPE_p_long_long len = lightgbmlib.new_int64_tp();
        return lightgbmlib.LGBM_BoosterSaveModelToStringSWIG(booster, 0, -1, 0, 1L << 26, len);
    }

    /** LightGBM's predictions of {@code kind} for the rows of {@code x}, flattened as LightGBM writes them. */
    double[] predict(float[] x, int rows, int kind, int width) {
        SWIGTYPE_p_double in = lightgbmlib.new_doubleArray(x.length);
        for (int i = 0; i < x.length; i++) {
            lightgbmlib.doubleArray_setitem(in, i, x[i]);
        }
        SWIGTYPE_p_long_long len = lightgbmlib.new_int64_tp();
        SWIGTYPE_p_double out = lightgbmlib.new_doubleArray((long) rows * width);
        check(lightgbmlib.LGBM_BoosterPredictForMat(booster, lightgbmlib.double_to_voidp_ptr(in), FLOAT64, rows,
                features, 1, kind, 0, -1, "num_threads=1", len, out));
        double[] r = new double[(int) lightgbmlib.int64_tp_value(len)];
        for (int i = 0; i < r.length; i++) {
            r[i] = lightgbmlib.doubleArray_getitem(out, i);
        }
        return r;
    }

    private static SWIGTYPE_p_float floats(float[] v) {
        SWIGTYPE_p_float p = lightgbmlib.new_floatArray(v.length);
        for (int i = 0; i < v.length; i++) {
            lightgbmlib.floatArray_setitem(p, i, v[i]);
        }
        return p;
    }

    private static void check(int rc) {
        if (rc != 0) {
            throw new IllegalStateException("LightGBM: " + lightgbmlib.LGBM_GetLastError());
        }
    }

    @Override
    public void close() {
        lightgbmlib.LGBM_BoosterFree(booster);
        lightgbmlib.LGBM_DatasetFree(dataset);
    }
}
