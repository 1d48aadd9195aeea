package dev.llamascope.app.ui.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.app.ui.TestData;
import dev.llamascope.app.ui.concurrent.ComputeLane;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.inference.inspect.Inspection;
import dev.llamascope.engine.inference.inspect.Inspector;
import dev.llamascope.engine.inference.inspect.RecordOptions;
import dev.llamascope.engine.model.ModelLoader;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Inspect pane's access to the app's model and pool: a model replaced while an inspection runs stays open
 * until the inspection is done; work on a model that is gone is refused; a forward pass waits for the lane.
 */
@Timeout(30)
class SessionModelAccessTest {

    @Test
    void aReplacedModelClosesOnlyAfterTheRunningInspection() throws Exception {
        ModelHandle first = new ModelHandle(ModelLoader.load(TestData.stories260K(), TestData.tok512()), TestData.stories260K(), null);
        ModelHandle second = new ModelHandle(ModelLoader.load(TestData.stories260K(), TestData.tok512()), TestData.stories260K(), null);
        try (ComputeLane lane = new ComputeLane()) {
            SessionModelAccess access = new SessionModelAccess(lane);
            access.setHandle(first);
            CountDownLatch inside = new CountDownLatch(1), replaced = new CountDownLatch(1);
            var lm = first.loaded();
            CompletableFuture<Inspection> run = CompletableFuture.supplyAsync(() -> access.withCompute(lm, pool -> {
                inside.countDown();
                await(replaced);
                // The session has moved on, but this model is still mapped: the forward pass reads its weights.
                int[] tokens = lm.tokenizer().encode("Once upon a time", true, false);
                return Inspector.inspect(lm.model(), lm.tokenizer(), tokens, RecordOptions.all(3), pool);
            }, () -> {}, () -> false));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            // What ModelSession.install does, and what the pane hears: the new handle, the old one retired.
            access.setHandle(second);
            first.retire();
            assertFalse(first.isClosed(), "not closed while the inspection uses it");
            replaced.countDown();
            Inspection in = run.get(20, TimeUnit.SECONDS);
            assertEquals(5, in.positions());
            assertTrue(first.isClosed(), "closed as soon as the inspection let go");

            // Work that still names the old model is refused (the pane drops its result: it is stale).
            var e = assertThrows(CancellationException.class, () -> access.withModel(lm, () -> 1));
            assertTrue(e.getMessage().contains("unloaded"), e.getMessage());
            assertEquals(2, (int) access.withModel(second.loaded(), () -> 2));
            assertFalse(lane.busy());
        } finally {
            second.retire();
        }
    }

    @Test
    void aForwardPassWaitsForTheLaneAndSaysSo() throws Exception {
        ModelHandle h = new ModelHandle(ModelLoader.load(TestData.stories260K(), TestData.tok512()), TestData.stories260K(), null);
        try (ComputeLane lane = new ComputeLane()) {
            SessionModelAccess access = new SessionModelAccess(lane);
            access.setHandle(h);
            ComputeLane.Lease generation = lane.acquire(1, () -> false, null, null);
            CountDownLatch waited = new CountDownLatch(1);
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> access.withCompute(h.loaded(), pool -> 7, waited::countDown, () -> false));
            assertTrue(waited.await(10, TimeUnit.SECONDS), "the inspection was told it waits for the compute threads");
            Thread.sleep(50);
            assertFalse(run.isDone(), "and does not run beside the generation");
            generation.close();
            assertEquals(7, run.get(10, TimeUnit.SECONDS));
        } finally {
            h.retire();
        }
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(10, TimeUnit.SECONDS)) throw new AssertionError("timed out");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
