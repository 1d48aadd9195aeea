package dev.llamascope.app.ui.viz;

import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.css.CssMetaData;
import javafx.css.SimpleStyleableDoubleProperty;
import javafx.css.Styleable;
import javafx.css.StyleableDoubleProperty;
import javafx.css.StyleableObjectProperty;
import javafx.scene.control.Control;
import javafx.scene.paint.Color;

/**
 * Base of the canvas views. Two things they share:
 * <ul>
 * <li>Colours as CSS properties ({@code -ls-low-color}, {@code -ls-mid-color}, {@code -ls-high-color} for
 * sequential scales, {@code -ls-negative-color}/{@code -ls-zero-color}/{@code -ls-positive-color} for diverging
 * ones, {@code -ls-masked-color}, text colours, {@code -ls-gamma}); defaults in viz.css from theme tokens.</li>
 * <li>Views far larger than the screen (a 512 x 512 heatmap, a 512-column logit lens): the skin keeps a canvas
 * only as large as the visible area and paints the part under it; the scroll offsets (pixels into the content)
 * are properties, so several views can scroll together by binding them.</li>
 * </ul>
 */
public abstract class VizControl extends Control {
    private static final VizStyles.Meta<VizControl> META = new VizStyles.Meta<>(Control.getClassCssMetaData());
    private static final CssMetaData<VizControl, Color> LOW = META.color("-ls-low-color", Color.WHITE, c -> c.low);
    private static final CssMetaData<VizControl, Color> MID = META.color("-ls-mid-color", Color.web("#0969da"), c -> c.mid);
    private static final CssMetaData<VizControl, Color> HIGH = META.color("-ls-high-color", Color.web("#24292f"), c -> c.high);
    private static final CssMetaData<VizControl, Color> NEG = META.color("-ls-negative-color", Color.web("#0969da"), c -> c.negative);
    private static final CssMetaData<VizControl, Color> ZERO = META.color("-ls-zero-color", Color.WHITE, c -> c.zero);
    private static final CssMetaData<VizControl, Color> POS = META.color("-ls-positive-color", Color.web("#cf222e"), c -> c.positive);
    private static final CssMetaData<VizControl, Color> MASKED = META.color("-ls-masked-color", Color.web("#d0d7de"), c -> c.masked);
    private static final CssMetaData<VizControl, Color> TEXT = META.color("-ls-text-color", Color.web("#24292f"), c -> c.text);
    private static final CssMetaData<VizControl, Color> MUTED = META.color("-ls-muted-text-color", Color.web("#57606a"), c -> c.mutedText);
    private static final CssMetaData<VizControl, Color> HIGHLIGHT = META.color("-ls-highlight-color", Color.web("#cf222e"), c -> c.highlight);
    private static final CssMetaData<VizControl, Color> BACKGROUND = META.color("-ls-background-color", Color.WHITE, c -> c.background);
    private static final CssMetaData<VizControl, Number> GAMMA = META.number("-ls-gamma", 0.5, c -> c.gamma);

    private final StyleableObjectProperty<Color> low = VizStyles.colorProperty(this, "lowColor", LOW);
    private final StyleableObjectProperty<Color> mid = VizStyles.colorProperty(this, "midColor", MID);
    private final StyleableObjectProperty<Color> high = VizStyles.colorProperty(this, "highColor", HIGH);
    private final StyleableObjectProperty<Color> negative = VizStyles.colorProperty(this, "negativeColor", NEG);
    private final StyleableObjectProperty<Color> zero = VizStyles.colorProperty(this, "zeroColor", ZERO);
    private final StyleableObjectProperty<Color> positive = VizStyles.colorProperty(this, "positiveColor", POS);
    private final StyleableObjectProperty<Color> masked = VizStyles.colorProperty(this, "maskedColor", MASKED);
    private final StyleableObjectProperty<Color> text = VizStyles.colorProperty(this, "textColor", TEXT);
    private final StyleableObjectProperty<Color> mutedText = VizStyles.colorProperty(this, "mutedTextColor", MUTED);
    private final StyleableObjectProperty<Color> highlight = VizStyles.colorProperty(this, "highlightColor", HIGHLIGHT);
    private final StyleableObjectProperty<Color> background = VizStyles.colorProperty(this, "backgroundColor", BACKGROUND);
    private final StyleableDoubleProperty gamma = new SimpleStyleableDoubleProperty(GAMMA, this, "gamma", 0.5);

    private final DoubleProperty scrollX = new SimpleDoubleProperty(this, "scrollX", 0);
    private final DoubleProperty scrollY = new SimpleDoubleProperty(this, "scrollY", 0);
    private final ReadOnlyDoubleWrapper lastPaintMillis = new ReadOnlyDoubleWrapper(this, "lastPaintMillis", 0);

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return META.list();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getControlCssMetaData() {
        return getClassCssMetaData();
    }

    @Override
    public String getUserAgentStylesheet() {
        return VizStyles.STYLESHEET;
    }

    /** The sequential scale of this control's colours over [min, max] (a transparent mid colour = half way). */
    public ColorScale sequentialScale(double min, double max) {
        Color m = mid.get().getOpacity() == 0 ? low.get().interpolate(high.get(), 0.5) : mid.get();
        return ColorScale.sequential(low.get(), m, high.get(), min, max, gamma.get());
    }

    /** The diverging scale (negative / zero / positive colours) symmetric around 0. */
    public ColorScale divergingScale(double min, double max) {
        return ColorScale.diverging(negative.get(), zero.get(), positive.get(), min, max, gamma.get());
    }

    /** Every styleable colour, so a skin can repaint when the theme changes. */
    public List<javafx.beans.Observable> styleProperties() {
        return List.of(low, mid, high, negative, zero, positive, masked, text, mutedText, highlight, background, gamma);
    }

    public final StyleableObjectProperty<Color> lowColorProperty() { return low; }
    public final StyleableObjectProperty<Color> midColorProperty() { return mid; }
    public final StyleableObjectProperty<Color> highColorProperty() { return high; }
    public final StyleableObjectProperty<Color> maskedColorProperty() { return masked; }
    public final StyleableDoubleProperty gammaProperty() { return gamma; }

    public final Color getLowColor() { return low.get(); }
    public final Color getMidColor() { return mid.get(); }
    public final Color getHighColor() { return high.get(); }
    public final Color getMaskedColor() { return masked.get(); }
    public final Color getNegativeColor() { return negative.get(); }
    public final Color getZeroColor() { return zero.get(); }
    public final Color getPositiveColor() { return positive.get(); }
    public final Color getTextColor() { return text.get(); }
    public final Color getMutedTextColor() { return mutedText.get(); }
    public final Color getHighlightColor() { return highlight.get(); }
    public final Color getBackgroundColor() { return background.get(); }

    /** Horizontal offset into the content, in pixels. */
    public final DoubleProperty scrollXProperty() {
        return scrollX;
    }

    /** Vertical offset into the content, in pixels. */
    public final DoubleProperty scrollYProperty() {
        return scrollY;
    }

    /** How long the last full repaint took, for measuring (hover repaints only an overlay and do not count). */
    public final ReadOnlyDoubleProperty lastPaintMillisProperty() {
        return lastPaintMillis.getReadOnlyProperty();
    }

    final void reportPaint(double millis) {
        lastPaintMillis.set(millis);
    }
}
