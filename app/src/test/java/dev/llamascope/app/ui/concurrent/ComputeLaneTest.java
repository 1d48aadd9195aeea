package dev.llamascope.app.ui.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The compute lane: one borrower at a time, yielding work stops for others, waiting can be cancelled. */
@Timeout(20)
class ComputeLaneTest {

    @Test
    void oneBorrowerAtATimeAndTheOtherWaits() throws Exception {
        try (ComputeLane lane = new ComputeLane()) {
            ComputeLane.Lease first = lane.acquire(2, () -> false, null, ComputeLane.WaitListener.NONE);
            assertTrue(lane.busy());
            CountDownLatch waiting = new CountDownLatch(1);
            AtomicBoolean inside = new AtomicBoolean();
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
                try (ComputeLane.Lease l = lane.acquire(2, () -> false, null, waiting::countDown)) {
                    inside.set(true);
                    assertSame(first.pool(), l.pool(), "the same thread count reuses the pool");
                }
            });
            assertTrue(waiting.await(5, TimeUnit.SECONDS), "the second borrower is told it waits");
            Thread.sleep(100);
            assertFalse(inside.get(), "nobody enters while the lane is lent");
            first.close();
            second.get(5, TimeUnit.SECONDS);
            assertTrue(inside.get());
            assertFalse(lane.busy());
        }
    }

    @Test
    void yieldingWorkIsAskedToStopWhenOrdinaryWorkAsks() throws Exception {
        try (ComputeLane lane = new ComputeLane()) {
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch holding = new CountDownLatch(1);
            CompletableFuture<Void> warmUp = CompletableFuture.runAsync(() -> {
                try (ComputeLane.Lease l = lane.acquire(1, stop::get, () -> stop.set(true), ComputeLane.WaitListener.NONE)) {
                    holding.countDown();
                    while (!stop.get()) Thread.onSpinWait(); // a warm-up running until asked to stop
                }
            });
            assertTrue(holding.await(5, TimeUnit.SECONDS));
            try (ComputeLane.Lease l = lane.acquire(1, () -> false, null, ComputeLane.WaitListener.NONE)) {
                assertTrue(stop.get(), "the yielding holder was asked to stop");
            }
            warmUp.get(5, TimeUnit.SECONDS);

            // Yielding work does not stop other yielding work: it waits like anyone.
            AtomicBoolean stopA = new AtomicBoolean();
            ComputeLane.Lease a = lane.acquire(1, () -> false, () -> stopA.set(true), ComputeLane.WaitListener.NONE);
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> lane.acquire(1, () -> false, () -> {}, ComputeLane.WaitListener.NONE).close());
            Thread.sleep(100);
            assertFalse(stopA.get());
            a.close();
            b.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWaitingBorrowerGivesUpWhenCancelled() throws Exception {
        try (ComputeLane lane = new ComputeLane()) {
            ComputeLane.Lease held = lane.acquire(1, () -> false, null, ComputeLane.WaitListener.NONE);
            AtomicBoolean cancel = new AtomicBoolean();
            AtomicInteger told = new AtomicInteger();
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> lane.acquire(1, cancel::get, null, told::incrementAndGet).close());
            Thread.sleep(100);
            cancel.set(true);
            var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> waiter.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof CancellationException, e.toString());
            assertEquals(1, told.get(), "told once that it waits");
            assertTrue(lane.busy(), "the holder still has the lane");
            held.close();
        }
    }

    @Test
    void anotherThreadCountMakesANewPoolAndClosingTwiceIsHarmless() {
        try (ComputeLane lane = new ComputeLane()) {
            ComputeLane.Lease one = lane.acquire(1, () -> false, null, null);
            var pool1 = one.pool();
            one.close();
            one.close();
            ComputeLane.Lease two = lane.acquire(2, () -> false, null, null);
            assertNotSame(pool1, two.pool());
            assertEquals(2, two.pool().threads());
            assertThrows(IllegalStateException.class, () -> pool1.parallelFor(100, 1, (s, e) -> {}), "the old pool was closed");
            two.close();
            assertThrows(IllegalArgumentException.class, () -> lane.acquire(0, () -> false, null, null));
        }
    }
}
