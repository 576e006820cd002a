package dev.loopback.internal.tcp.stage;

import dev.loopback.Bandwidth;
import dev.loopback.Blackhole;
import dev.loopback.CutAfterAge;
import dev.loopback.CutAfterBytes;
import dev.loopback.Fault;
import dev.loopback.Freeze;
import dev.loopback.Latency;
import dev.loopback.Loss;
import dev.loopback.LossStall;
import dev.loopback.Refuse;
import dev.loopback.Reset;
import dev.loopback.Slice;
import dev.loopback.SlowClose;
import dev.loopback.SlowOpen;
import dev.loopback.internal.link.ActiveFault;

/** Makes the stage of a TCP fault on one connection: the one place that maps each fault to its class. */
public final class Stages {

    private Stages() {}

    /** Makes stages; a link's tests may replace its factory to make one stage fail. */
    @FunctionalInterface
    public interface Factory {
        FaultStage create(ActiveFault fault, StageContext connection);
    }

    /** Returns the stage of {@code fault} (a {@link dev.loopback.TcpFault}) on {@code connection}. */
    public static FaultStage create(ActiveFault fault, StageContext connection) {
        Fault f = fault.fault();
        if (f instanceof Latency latency) {
            return new LatencyStage(fault, connection, latency);
        } else if (f instanceof Loss) {
            return new LossStallStage(fault, connection, Fault.DEFAULT_LOSS_STALL.toNanos());
        } else if (f instanceof LossStall stall) {
            return new LossStallStage(fault, connection, stall.stall().toNanos());
        } else if (f instanceof Bandwidth bandwidth) {
            return new BandwidthStage(fault, connection, bandwidth);
        } else if (f instanceof Slice slice) {
            return new SliceStage(fault, connection, slice);
        } else if (f instanceof Freeze) {
            return new FreezeStage(fault, connection);
        } else if (f instanceof Blackhole) {
            return new BlackholeStage(fault, connection);
        } else if (f instanceof Reset) {
            return new ResetStage(fault, connection);
        } else if (f instanceof CutAfterBytes cut) {
            return new CutAfterBytesStage(fault, connection, cut);
        } else if (f instanceof CutAfterAge cut) {
            return new CutAfterAgeStage(fault, connection, cut);
        } else if (f instanceof SlowOpen slowOpen) {
            return new SlowOpenStage(fault, connection, slowOpen);
        } else if (f instanceof SlowClose slowClose) {
            return new SlowCloseStage(fault, connection, slowClose);
        } else if (f instanceof Refuse) {
            return new RefuseStage(fault, connection);
        }
        throw new IllegalArgumentException("not a TCP fault: " + f);
    }
}
