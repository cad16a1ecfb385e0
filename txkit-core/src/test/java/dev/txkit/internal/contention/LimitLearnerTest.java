package dev.txkit.internal.contention;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * How a hot key's limit settles, simulated in rounds: each round admits as many attempts as the limit
 * allows (there is always demand), they run at once and end with the collisions the scenario gives.
 */
class LimitLearnerTest {

    /** Outcome of one attempt among {@code k} running at once. */
    @FunctionalInterface
    interface Scenario {
        boolean collides(int index, int k, Random random);
    }

    record Run(double meanLimit, double commitsPerRound, double wastedPerCommit, double roundsAtOne) {
    }

    private static Run simulate(Scenario scenario, int start, int rounds, int measured) {
        return simulate(scenario, start, rounds, measured, false);
    }

    private static Run simulate(Scenario scenario, int start, int rounds, int measured, boolean relaying) {
        LimitLearner learner = new LimitLearner();
        Random random = new Random(42);
        int limit = learner.start(start);
        long limitSum = 0;
        long commits = 0;
        long wasted = 0;
        long atOne = 0;
        for (int r = 0; r < rounds; r++) {
            int k = limit;
            long admittedAt = System.nanoTime();
            boolean[] collided = new boolean[k];
            for (int i = 0; i < k; i++) {
                collided[i] = scenario.collides(i, k, random);
            }
            for (int i = 0; i < k; i++) {
                if (relaying && k == 1 && learner.leavingAtWriteWorks()) {
                    learner.leftAtWrite(collided[i]); // as KeyLimit tells it of an attempt let go at its write
                }
                limit = learner.observe(collided[i], true, admittedAt);
            }
            if (r >= rounds - measured) {
                limitSum += k;
                atOne += k == 1 ? 1 : 0;
                for (boolean c : collided) {
                    if (c) {
                        wasted++;
                    } else {
                        commits++;
                    }
                }
            }
        }
        return new Run((double) limitSum / measured, (double) commits / measured,
                (double) wasted / Math.max(1, commits), (double) atOne / measured);
    }

    /** The best that any fixed concurrency gets when each pair of attempts collides with probability q. */
    private static double bestFixed(double q) {
        double best = 0;
        for (int k = 1; k <= 200; k++) {
            best = Math.max(best, k * Math.pow(1 - q, k - 1));
        }
        return best;
    }

    @Test
    void oneHotRowSettlesAtOneAndItsProbesBecomeRare() {
        // a single row: of those running at once one commits, the others collide with it
        Run run = simulate((i, k, random) -> i > 0, 32, 4000, 3000);
        assertThat(run.roundsAtOne()).isGreaterThan(0.95);
        assertThat(run.wastedPerCommit()).isLessThan(0.03);
        assertThat(run.commitsPerRound()).isEqualTo(1.0);
    }

    @Test
    void manyRowsUnderOneKeySettleNearTheConcurrencyThatCommitsMost() {
        // transfers between many accounts under one call site: each pair collides with probability 0.1.
        // The model's best is 1/q = 10 in flight with 61 % colliding; the caps keep it where a sixth to a
        // quarter collide (3 in flight), which the measured runs favour (collisions are not free)
        double q = 0.1;
        Run run = simulate((i, k, random) -> random.nextDouble() >= Math.pow(1 - q, k - 1), 32, 6000, 4000);
        assertThat(run.meanLimit()).isBetween(2.5, 5.0);
        assertThat(run.wastedPerCommit()).as("the model's best wastes 1.6 per commit").isLessThan(0.5);
        assertThat(run.commitsPerRound()).isGreaterThan(0.6 * bestFixed(q));
    }

    @Test
    void fromOneItClimbsWhenTheRowsStopColliding() {
        // up to where a sixth to a quarter of the attempts collide: 17 to 29 in flight at q = 0.01
        Run run = simulate((i, k, random) -> random.nextDouble() >= Math.pow(1 - 0.01, k - 1), 1, 3000, 1000);
        assertThat(run.meanLimit()).isBetween(15.0, 32.0);
        assertThat(run.commitsPerRound()).isGreaterThan(0.45 * bestFixed(0.01));
    }

    @Test
    void halfOfThePairsCollidingIsBestServedOneAtATime() {
        Run run = simulate((i, k, random) -> random.nextDouble() >= Math.pow(0.5, k - 1), 16, 4000, 3000);
        assertThat(run.roundsAtOne()).isGreaterThan(0.9);
        assertThat(run.commitsPerRound()).isGreaterThan(0.9 * bestFixed(0.5));
    }

    @Test
    void collisionsWithOtherProcessesAtOneStopItFromProbingUpwards() {
        // another node writes the same rows: a third of the attempts collide however few run here, and
        // running more here would only add collisions of its own
        Run run = simulate((i, k, random) -> i > 0 || random.nextDouble() < 0.3, 1, 4000, 3000);
        assertThat(run.roundsAtOne()).isGreaterThan(0.995);
    }

    @Test
    void whereAttemptsAtOneLeaveAtTheirFirstWriteAProbeOfTwoThatCollidesAtAllGoesBackToOne() {
        // one row on MariaDB: at 1 the next attempt is let in at the first write and queues in the server,
        // so one at a time loses little; of two at once the second collides now and then (both read before
        // either writes) — too rarely for 2 to look worse than 1 by the model — and of more nearly always
        Scenario row = (i, k, random) -> i > 0 && random.nextDouble() < (k == 2 ? 0.2 : 0.9);
        Run plain = simulate(row, 1, 4000, 3000, false);
        Run leaving = simulate(row, 1, 4000, 3000, true);
        assertThat(plain.roundsAtOne()).as("by the model alone 2 holds").isLessThan(0.5);
        assertThat(leaving.roundsAtOne()).isGreaterThan(0.95);
        assertThat(leaving.wastedPerCommit()).isLessThan(0.03).isLessThan(plain.wastedPerCommit() / 3);
    }

    @Test
    void whereLeavingAtTheFirstWriteMakesTheAttemptsAtOneCollideTheyStopDoingSo() {
        LimitLearner learner = new LimitLearner();
        learner.start(1);
        Random random = new Random(7);
        int n = 0;
        while (learner.leavingAtWriteWorks()) {
            learner.leftAtWrite(random.nextDouble() < 0.3); // transfers A->B and B->A, let in at each other's write
            assertThat(++n).isLessThan(100);
        }
        assertThat(learner.start(1)).isEqualTo(1);
        assertThat(learner.leavingAtWriteWorks()).as("a key turning hot again tries again").isTrue();
    }

    @Test
    void theBoundsFollowTheModel() {
        // at 2 in flight the one other attempt collides with probability q = p: 2 beats 1 while p < 1/2
        // (the cap applies: a quarter colliding is enough to go down)
        assertThat(LimitLearner.lowerAbove(2)).isCloseTo(
                Math.min(LimitLearner.MOST_COLLIDING, 0.5 - LimitLearner.LEAN_AT_TWO), within(1e-9));
        assertThat(LimitLearner.raiseBelow(2)).isCloseTo(1 / 3.0 - LimitLearner.LEAN_AT_TWO, within(1e-9));
        for (int k = 2; k < 100; k++) {
            assertThat(LimitLearner.raiseBelow(k)).isLessThan(LimitLearner.lowerAbove(k));
            assertThat(LimitLearner.lowerAbove(k + 1)).isGreaterThanOrEqualTo(LimitLearner.lowerAbove(k));
            assertThat(LimitLearner.raiseBelow(k)).isGreaterThan(0);
        }
        // the model alone would allow 1 − 1/e − LEAN at large k; the caps hold both bounds well below it
        assertThat(LimitLearner.lowerAbove(1000)).isEqualTo(LimitLearner.MOST_COLLIDING);
        assertThat(LimitLearner.raiseBelow(1000)).isEqualTo(LimitLearner.FEW_COLLIDING);
        assertThat(LimitLearner.best(1.0, 8)).isEqualTo(1);
        assertThat(LimitLearner.best(0.0, 8)).isEqualTo(KeyLimit.MAX);
        // p = 1 - 0.9^7 at 8 in flight means q = 0.1: about 1/q, leaned towards fewer
        assertThat(LimitLearner.best(1 - Math.pow(0.9, 7), 8)).isEqualTo(9);
    }
}
