package dev.llamascope.app.ui.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.app.ui.TestData;
import dev.llamascope.engine.model.ModelLoader;
import org.junit.jupiter.api.Test;

class ModelHandleTest {
    @Test
    void aRetiredModelClosesWhenItsLastUserIsDone() throws Exception {
        ModelHandle h = new ModelHandle(ModelLoader.load(TestData.stories260K(), TestData.tok512()), TestData.stories260K(), TestData.tok512());
        assertTrue(h.acquire());
        h.retire();
        assertFalse(h.isClosed(), "still in use");
        assertFalse(h.acquire(), "no new users after retirement");
        h.release();
        assertTrue(h.isClosed());
    }

    @Test
    void theSummaryDescribesTheModel() throws Exception {
        ModelHandle h = new ModelHandle(ModelLoader.load(TestData.stories260K(), TestData.tok512()), TestData.stories260K(), TestData.tok512());
        ModelSummary s = h.summary();
        assertEquals("stories260K.bin", s.name());
        assertEquals(512, s.vocabSize());
        assertEquals(512, s.contextLength());
        assertEquals("tok512.bin", s.tokenizer());
        assertEquals(h.loaded().model().config().parameterCount(), s.parameters());
        assertEquals("dim 64 · hidden 172 · 5 layers · 8 heads (4 KV)", s.shape());
        assertEquals("1.00 MB", ModelSummary.bytes(1024 * 1024));
        assertEquals("15.2M", ModelSummary.count(15_200_000));
        h.retire();
    }
}
