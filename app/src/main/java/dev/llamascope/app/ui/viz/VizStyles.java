package dev.llamascope.app.ui.viz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import javafx.css.CssMetaData;
import javafx.css.SimpleStyleableObjectProperty;
import javafx.css.Styleable;
import javafx.css.StyleableDoubleProperty;
import javafx.css.StyleableObjectProperty;
import javafx.css.StyleableProperty;
import javafx.css.converter.ColorConverter;
import javafx.css.converter.SizeConverter;
import javafx.scene.paint.Color;

/** The viz stylesheet and small helpers to declare CSS-styleable colour and number properties. */
public final class VizStyles {
    private VizStyles() {}

    /** Defaults for every viz control, written against AtlantaFX theme tokens. */
    public static final String STYLESHEET = VizStyles.class.getResource("viz.css").toExternalForm();

    /** Collects the CSS metadata of a control class (its own plus the parent's). */
    public static final class Meta<S extends Styleable> {
        private final List<CssMetaData<? extends Styleable, ?>> all;

        public Meta(List<CssMetaData<? extends Styleable, ?>> parent) {
            all = new ArrayList<>(parent);
        }

        public CssMetaData<S, Color> color(String property, Color initial, Function<S, StyleableObjectProperty<Color>> get) {
            CssMetaData<S, Color> m = new CssMetaData<>(property, ColorConverter.getInstance(), initial) {
                @Override
                public boolean isSettable(S s) {
                    return !get.apply(s).isBound();
                }

                @Override
                public StyleableProperty<Color> getStyleableProperty(S s) {
                    return get.apply(s);
                }
            };
            all.add(m);
            return m;
        }

        public CssMetaData<S, Number> number(String property, double initial, Function<S, StyleableDoubleProperty> get) {
            CssMetaData<S, Number> m = new CssMetaData<>(property, SizeConverter.getInstance(), initial) {
                @Override
                public boolean isSettable(S s) {
                    return !get.apply(s).isBound();
                }

                @Override
                public StyleableProperty<Number> getStyleableProperty(S s) {
                    return get.apply(s);
                }
            };
            all.add(m);
            return m;
        }

        public List<CssMetaData<? extends Styleable, ?>> list() {
            return Collections.unmodifiableList(all);
        }
    }

    /** A colour property bound to its metadata. */
    public static <S extends Styleable> StyleableObjectProperty<Color> colorProperty(S bean, String name, CssMetaData<S, Color> meta) {
        return new SimpleStyleableObjectProperty<>(meta, bean, name, meta.getInitialValue(null));
    }
}
