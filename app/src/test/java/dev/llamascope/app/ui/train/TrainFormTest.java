package dev.llamascope.app.ui.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.engine.data.DataOrder;
import dev.llamascope.engine.train.LrSchedule;
import dev.llamascope.engine.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Train pane's form: the short fine-tune it proposes, and a clear message for each kind of bad value. */
class TrainFormTest {
    @TempDir
    Path tmp;
    TrainForm form;

    @BeforeEach
    void setUp() throws Exception {
        form = new TrainForm();
        Path data = Files.writeString(tmp.resolve("data.txt"), "Once upon a time.\n");
        form.startProperty().set(TrainForm.Start.NEW_SHAPE);
        form.shapeProperty().set("stories260K");
        form.tokenizerProperty().set(Files.writeString(tmp.resolve("tok.bin"), "x"));
        form.dataProperty().set(data);
        form.outputDirProperty().set(tmp.toString());
    }

    @Test
    void theDefaultsAreAShortFineTune() {
        assertTrue(form.isValid(), () -> String.valueOf(form.error(TrainForm.Choice.MODEL).get()));
        TrainConfig c = form.config();
        assertEquals(8, c.batch());
        assertEquals(128, c.seq());
        assertEquals(200, c.steps());
        assertEquals(LrSchedule.Kind.COSINE, c.schedule().kind());
        assertEquals(5e-4, c.schedule().lr());
        assertEquals(5e-5, c.schedule().minLr());
        assertEquals(20, c.schedule().warmup());
        assertEquals(0.1, c.optimizer().weightDecay());
        assertEquals(1.0f, c.gradClip());
        assertEquals(0f, c.dropout());
        assertEquals(1, c.accum());
        assertEquals(25, c.evalEvery());
        assertEquals(100, c.saveEvery());
        assertEquals(DataOrder.SHUFFLE, c.order());
        assertEquals("1,024 tokens per step, 204,800 in all", form.summaryProperty().get());
    }

    @Test
    void eachBadValueHasItsMessageAndTheFormIsInvalid() {
        form.text(TrainForm.Knob.LR).set("abc");
        assertFalse(form.isValid());
        assertEquals("'abc' is not a number: a positive number, e.g. 5e-4", form.error(TrainForm.Knob.LR).get());
        form.text(TrainForm.Knob.LR).set("0");
        assertEquals("a positive number, e.g. 5e-4", form.error(TrainForm.Knob.LR).get());
        form.text(TrainForm.Knob.LR).set("1e-5");
        assertEquals("must not exceed the learning rate", form.error(TrainForm.Knob.MIN_LR).get(), "min-lr 5e-5 > lr 1e-5");
        form.text(TrainForm.Knob.LR).set("5e-4");
        assertTrue(form.isValid());

        form.text(TrainForm.Knob.STEPS).set("0");
        assertEquals("must be at least 1", form.error(TrainForm.Knob.STEPS).get());
        form.text(TrainForm.Knob.STEPS).set("20");
        assertEquals("must be shorter than the run (20 steps)", form.error(TrainForm.Knob.WARMUP).get());
        form.text(TrainForm.Knob.STEPS).set("");
        assertEquals("needs a value", form.error(TrainForm.Knob.STEPS).get());
        form.text(TrainForm.Knob.STEPS).set("200");

        form.text(TrainForm.Knob.SEQ).set("1024");
        assertEquals("at most the model's context of 512", form.error(TrainForm.Knob.SEQ).get());
        form.text(TrainForm.Knob.SEQ).set("12.5");
        assertEquals("'12.5' is not a whole number", form.error(TrainForm.Knob.SEQ).get());
        form.text(TrainForm.Knob.SEQ).set("128");
        form.text(TrainForm.Knob.DROPOUT).set("1");
        assertEquals("a probability in [0, 1)", form.error(TrainForm.Knob.DROPOUT).get());
        form.text(TrainForm.Knob.DROPOUT).set("0.1");
        assertTrue(form.isValid());
        assertNull(form.error(TrainForm.Knob.DROPOUT).get());
    }

    @Test
    void modelDataAndTokenizerProblemsAreNamed() {
        form.shapeProperty().set("stories999");
        assertFalse(form.isValid());
        assertTrue(form.error(TrainForm.Choice.MODEL).get().contains("unknown shape 'stories999'"), form.error(TrainForm.Choice.MODEL).get());
        form.shapeProperty().set("stories260K");
        form.tokenizerProperty().set(null);
        assertEquals("A new model needs a tokenizer file for this data (with the shape's vocabulary).", form.error(TrainForm.Choice.TOKENIZER).get());
        form.tokenizerProperty().set(tmp.resolve("tok.bin"));
        form.dataProperty().set(tmp.resolve("missing.txt"));
        assertEquals(tmp.resolve("missing.txt") + ": no such file", form.error(TrainForm.Choice.DATA).get());
        form.dataProperty().set(null);
        assertEquals("Choose a data file (or drop one here).", form.error(TrainForm.Choice.DATA).get());
        form.startProperty().set(TrainForm.Start.LOADED_MODEL);
        assertEquals("No model is loaded: open one in Models, or start from a new shape.", form.error(TrainForm.Choice.MODEL).get());
        assertFalse(form.isValid());
    }
}
