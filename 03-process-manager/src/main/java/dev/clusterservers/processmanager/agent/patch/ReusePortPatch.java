package dev.clusterservers.processmanager.agent.patch;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * {@code "listen": "reuseport"}: makes every TCP server socket of the JVM set
 * {@code SO_REUSEPORT} just before it binds, whatever the app set before: the one change that
 * lets N unmodified instances bind one port.
 *
 * <p>Why at bind time, and why bytecode: Linux checks the option when {@code bind()} runs, and
 * servers set their options between opening and binding. Jetty's {@code ServerConnector}
 * explicitly sets {@code SO_REUSEPORT} to its own default, false, so a socket handed over with
 * the option already on loses it again. The prologue is one call,
 * {@code this.setOption(SO_REUSEPORT, TRUE)}; no branch is added, so the method's stack-map
 * frames stay valid as they are. The JDK's own classes still do all the work: nothing of ours
 * is on the data path.
 */
public final class ReusePortPatch extends NetBindPatch {
    private ReusePortPatch() {
    }

    /** Called reflectively by the agent, from the class loader that holds ASM. */
    public static void install(Instrumentation instrumentation) throws UnmodifiableClassException, ClassNotFoundException {
        new ReusePortPatch().apply(instrumentation);
    }

    /** {@code this.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);} */
    @Override
    void prologue(MethodVisitor method) {
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitFieldInsn(Opcodes.GETSTATIC, "java/net/StandardSocketOptions", "SO_REUSEPORT", "Ljava/net/SocketOption;");
        method.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/Boolean", "TRUE", "Ljava/lang/Boolean;");
        method.visitMethodInsn(Opcodes.INVOKEVIRTUAL, TARGET, "setOption",
                "(Ljava/net/SocketOption;Ljava/lang/Object;)Ljava/nio/channels/ServerSocketChannel;", false);
        method.visitInsn(Opcodes.POP);
    }

    @Override
    int prologueStack() {
        return 3;
    }
}
