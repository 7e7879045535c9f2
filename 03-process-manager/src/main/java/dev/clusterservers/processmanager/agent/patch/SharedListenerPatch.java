package dev.clusterservers.processmanager.agent.patch;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.BiFunction;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * {@code "listen": "shared"}: when the app binds the managed port, its server channel becomes
 * the daemon's listening socket, which this process inherited on fd 0, and the JDK never binds.
 *
 * <p>How: the prologue asks the agent's {@code BindHook} first. For the managed port, the hook
 * calls {@code dup2(0, fd)}: the channel's own file descriptor number now names the inherited,
 * already listening socket (the fresh unbound socket it named is closed by that call). The
 * app's {@code ServerSocketChannel} object stays as it was, with its selector registrations
 * and options to come; every {@code accept()} it makes takes from the one queue all instances
 * share. When the app stops, closing its channel closes this process's copy only (the JDK
 * never calls {@code shutdown()} on a listener): the daemon's copy keeps the queue open. Any
 * other port binds as usual.
 *
 * <p>In Java terms the prologue is {@code Object a = ClassLoader.getSystemClassLoader()
 * .loadClass("...BindHook").getMethod("beforeBind", int.class, SocketAddress.class)
 * .invoke(null, fdVal, local); if (a != null) return (SocketAddress) a;}: by name, because the
 * JDK's class cannot see the agent's. It adds a branch, so it writes the stack-map frame of the
 * branch target itself: the method's arguments as they came in, and the one value on the stack.
 */
public final class SharedListenerPatch extends NetBindPatch {
    private static final int INHERITED_FD = 0;
    private static final String BIND_HOOK = "dev.clusterservers.processmanager.agent.BindHook";

    /** The one call we need from the C library. */
    private interface CLibrary extends Library {
        int dup2(int oldFd, int newFd);
    }

    private SharedListenerPatch() {
    }

    /**
     * Called reflectively by the agent, from the class loader that holds ASM and JNA; returns
     * what the agent's {@code BindHook} must do. {@code adopted} runs each time the app's
     * channel became the shared socket.
     */
    public static BiFunction<Integer, SocketAddress, SocketAddress> install(Instrumentation instrumentation, int port,
                                                                            Runnable adopted)
            throws UnmodifiableClassException, ClassNotFoundException {
        CLibrary libc = Native.load("c", CLibrary.class);
        new SharedListenerPatch().apply(instrumentation);
        return (fd, local) -> {
            if (!(local instanceof InetSocketAddress asked) || asked.getPort() != port) {
                return null;
            }
            if (libc.dup2(INHERITED_FD, fd) < 0) {
                throw new UncheckedIOException(new IOException("jpm: cannot adopt the shared listener on port " + port
                        + ": dup2 failed, errno " + Native.getLastError()));
            }
            adopted.run();
            // The daemon bound every address; that is where the channel now listens.
            return new InetSocketAddress(port);
        };
    }

    @Override
    void prologue(MethodVisitor m) {
        Label bindAsUsual = new Label();
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/ClassLoader", "getSystemClassLoader", "()Ljava/lang/ClassLoader;", false);
        m.visitLdcInsn(BIND_HOOK);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/ClassLoader", "loadClass", "(Ljava/lang/String;)Ljava/lang/Class;", false);
        m.visitLdcInsn("beforeBind");
        m.visitInsn(Opcodes.ICONST_2);
        m.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Class");
        m.visitInsn(Opcodes.DUP);
        m.visitInsn(Opcodes.ICONST_0);
        m.visitFieldInsn(Opcodes.GETSTATIC, "java/lang/Integer", "TYPE", "Ljava/lang/Class;");
        m.visitInsn(Opcodes.AASTORE);
        m.visitInsn(Opcodes.DUP);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitLdcInsn(Type.getObjectType("java/net/SocketAddress"));
        m.visitInsn(Opcodes.AASTORE);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Class", "getMethod",
                "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", false);
        m.visitInsn(Opcodes.ACONST_NULL);
        m.visitInsn(Opcodes.ICONST_2);
        m.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        m.visitInsn(Opcodes.DUP);
        m.visitInsn(Opcodes.ICONST_0);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitFieldInsn(Opcodes.GETFIELD, TARGET, "fdVal", "I");
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
        m.visitInsn(Opcodes.AASTORE);
        m.visitInsn(Opcodes.DUP);
        m.visitInsn(Opcodes.ICONST_1);
        m.visitVarInsn(Opcodes.ALOAD, 1);
        m.visitInsn(Opcodes.AASTORE);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/reflect/Method", "invoke",
                "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", false);
        m.visitInsn(Opcodes.DUP);
        m.visitJumpInsn(Opcodes.IFNULL, bindAsUsual);
        m.visitTypeInsn(Opcodes.CHECKCAST, "java/net/SocketAddress");
        m.visitInsn(Opcodes.ARETURN);
        m.visitLabel(bindAsUsual);
        m.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Object"});
        m.visitInsn(Opcodes.POP);
    }

    @Override
    int prologueStack() {
        return 7;
    }
}
