import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.LongAdder;

public class VtSleep {
    static volatile boolean stop;
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int depth = Integer.parseInt(args[1]);
        boolean sync = args.length > 2 && args[2].equals("lock");
        LongAdder count = new LongAdder();
        Object lock = new Object();
        java.util.concurrent.locks.ReentrantLock rl = new java.util.concurrent.locks.ReentrantLock();
        for (int i = 0; i < threads; i++) {
            Thread.ofVirtual().start(() -> {
                while (!stop) {
                    deep(depth, count);
                    if (sync) { rl.lock(); try { count.add(0); } finally { rl.unlock(); } }
                }
            });
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(3000);
        long c0 = count.sum(); long cpu0 = os.getProcessCpuTime(); long t0 = System.nanoTime();
        Thread.sleep(5000);
        long c1 = count.sum(); long cpu1 = os.getProcessCpuTime(); long t1 = System.nanoTime();
        stop = true;
        double rate = (c1 - c0) / ((t1 - t0) / 1e9);
        System.out.printf("threads %d depth %d: %.0f sleeps/s, %.2f us CPU per sleep%n", threads, depth, rate, (cpu1 - cpu0) / 1e3 / (c1 - c0));
        System.exit(0);
    }
    static void deep(int d, LongAdder count) {
        if (d > 0) { deep(d - 1, count); return; }
        try { Thread.sleep(10); } catch (InterruptedException e) { }
        count.increment();
    }
}
