package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.testkit.Oracle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuadratureTest {

    @ParameterizedTest
    @EnumSource(value = IntegrationRule.class, names = "RIEMANN_TRAPEZOID", mode = EnumSource.Mode.EXCLUDE)
    void weightsSumToOne(IntegrationRule rule) {
        for (int n : new int[] {2, 3, 7, 50, 128}) {
            assertEquals(1.0, rule.quadrature(n).weightSum(), 1e-12, rule + " n=" + n);
        }
    }

    @Test
    void captumTrapezoidWeightsSumToNMinusOneOverN() {
        for (int n : new int[] {2, 3, 7, 50, 128}) {
            assertEquals((n - 1.0) / n, IntegrationRule.RIEMANN_TRAPEZOID.quadrature(n).weightSum(), 1e-12, "n=" + n);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8, 13, 50})
    void gaussLegendreIntegratesPolynomialsOfDegreeTwoNMinusOneExactly(int n) {
        Quadrature q = IntegrationRule.GAUSS_LEGENDRE.quadrature(n);
        for (int degree = 0; degree <= 2 * n - 1; degree++) {
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += q.weights()[k] * Math.pow(q.alphas()[k], degree);
            }
            assertEquals(1.0 / (degree + 1), sum, 1e-13, "n=" + n + ", integral of a^" + degree + " over [0,1]");
        }
        if (n <= 8) {
            // and not one degree more: the error on a^(2n) is the known remainder (n!)^4 / ((2n+1) ((2n)!)^2)
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += q.weights()[k] * Math.pow(q.alphas()[k], 2 * n);
            }
            double remainder = Math.pow(factorial(n), 4) / ((2 * n + 1) * Math.pow(factorial(2 * n), 2));
            assertEquals(remainder, 1.0 / (2 * n + 1) - sum, 1e-6 * remainder + 1e-15, "degree 2n error, n=" + n);
        }
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }

    @Test
    void gaussLegendreIsAscendingInsideTheInterval() {
        double[] a = IntegrationRule.GAUSS_LEGENDRE.quadrature(64).alphas();
        assertTrue(a[0] > 0 && a[a.length - 1] < 1);
        for (int k = 1; k < a.length; k++) {
            assertTrue(a[k] > a[k - 1], "ascending at " + k);
        }
    }

    @ParameterizedTest
    @EnumSource(IntegrationRule.class)
    void alphasAndStepSizesEqualCaptums(IntegrationRule rule) {
        Quadrature q = rule.quadrature(50);
        String prefix = "common/ig_" + rule.captumName();
        double[] alphas64 = Oracle.loadDoubles(prefix + "_alphas_f64");
        double[] steps64 = Oracle.loadDoubles(prefix + "_step_sizes_f64");
        if (rule == IntegrationRule.GAUSS_LEGENDRE) {
            assertArrayEquals(alphas64, q.alphas(), 1e-14, "leggauss alphas");
            assertArrayEquals(steps64, q.weights(), 1e-14, "leggauss weights");
        } else {
            assertArrayEquals(alphas64, q.alphas(), 0.0, "torch.linspace float32 alphas, bit for bit");
            assertArrayEquals(steps64, q.weights(), 0.0, "step sizes");
        }
        // what the float32 arithmetic uses
        assertArrayEquals(Oracle.loadFloats(prefix + "_alphas_f32"), q.alphasF32(0, 50), 0f, "float32 alphas");
        assertArrayEquals(Oracle.loadFloats(prefix + "_step_sizes_f32"), q.weightsF32(0, 50), 0f, "float32 weights");
    }

    @Test
    void linspaceFollowsTorchNotTheNaiveFormula() {
        // the oracle alphas differ from round(start + i*step) somewhere: the test above would catch a naive linspace
        float[] ref = Oracle.loadFloats("common/ig_riemann_trapezoid_alphas_f32");
        int differ = 0;
        for (int i = 0; i < 50; i++) {
            if ((float) (i / 49.0) != ref[i]) {
                differ++;
            }
        }
        assertTrue(differ > 0, "the oracle distinguishes torch's float32 linspace from exact rounding");
    }

    @Test
    void quadratureIsImmutable() {
        Quadrature q = IntegrationRule.RIEMANN_LEFT.quadrature(4);
        q.alphas()[0] = 42;
        q.weights()[0] = 42;
        assertEquals(0.0, q.alphas()[0]);
        assertEquals(0.25, q.weights()[0]);
    }

    @Test
    void parseAcceptsCaptumAndEnumNames() {
        assertSame(IntegrationRule.GAUSS_LEGENDRE, IntegrationRule.parse("gausslegendre"));
        assertSame(IntegrationRule.GAUSS_LEGENDRE, IntegrationRule.parse("GaussLegendre"));
        assertSame(IntegrationRule.GAUSS_LEGENDRE, IntegrationRule.parse("GAUSS_LEGENDRE"));
        assertSame(IntegrationRule.RIEMANN_TRAPEZOID, IntegrationRule.parse("Riemann_Trapezoid"));
        for (IntegrationRule r : IntegrationRule.values()) {
            assertSame(r, IntegrationRule.parse(r.captumName()));
        }
    }

    @Test
    void parseRejectsUnknownNamesListingTheValidOnes() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> IntegrationRule.parse("simpson"));
        assertTrue(e.getMessage().contains("simpson") && e.getMessage().contains("riemann_middle")
                && e.getMessage().contains("gausslegendre"), e.getMessage());
    }

    @Test
    void tooFewStepsAreRejected() {
        assertThrows(InvalidOptionException.class, () -> IntegrationRule.GAUSS_LEGENDRE.quadrature(0));
        assertThrows(InvalidOptionException.class, () -> IntegrationRule.RIEMANN_LEFT.quadrature(1));
        assertEquals(1, IntegrationRule.GAUSS_LEGENDRE.quadrature(1).size());
    }
}
