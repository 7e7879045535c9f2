package dev.clusterservers.processmanager.agent.patch;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Makes every TCP server socket of the JVM set {@code SO_REUSEPORT} just before it binds,
 * whatever the app set before: the one change that lets N unmodified instances bind one port.
 *
 * <p>Why at bind time, and why bytecode: Linux checks the option when {@code bind()} runs, and
 * servers set their options between opening and binding. Jetty's {@code ServerConnector}
 * explicitly sets {@code SO_REUSEPORT} to its own default, false, so a socket handed over with
 * the option already on loses it again. The JDK funnels every TCP bind of a server channel
 * (Jetty, Netty's NIO transport, the JDK's HttpServer, {@code ServerSocket} since JDK 13)
 * through one private method, {@code sun.nio.ch.ServerSocketChannelImpl.netBind}; this
 * class adds one call at its start, {@code this.setOption(SO_REUSEPORT, TRUE)}, when the
 * class is loaded. No branch is added, so the method's stack-map frames stay valid as they
 * are. The JDK's own classes still do all the work: nothing of ours is on the data path.
 */
public final class ReusePortPatch implements ClassFileTransformer {
    static final String TARGET = "sun/nio/ch/ServerSocketChannelImpl";
    static final String METHOD = "netBind";
    /** Our prologue pushes three values: the channel, the option, the value. */
    private static final int PROLOGUE_STACK = 3;

    private ReusePortPatch() {
    }

    /** Called reflectively by the agent, from the class loader that holds ASM. */
    public static void install(Instrumentation instrumentation) throws UnmodifiableClassException, ClassNotFoundException {
        ReusePortPatch patch = new ReusePortPatch();
        instrumentation.addTransformer(patch, true);
        // Loading the class does not run any of its code; retransforming applies the patch now.
        instrumentation.retransformClasses(Class.forName(TARGET.replace('/', '.'), false, null));
        instrumentation.removeTransformer(patch);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] classfile) {
        if (!TARGET.equals(className)) {
            return null;
        }
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                return METHOD.equals(name) ? new SetReusePortFirst(method) : method;
            }
        }, 0);
        return writer.toByteArray();
    }

    /** {@code this.setOption(StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);} before the method's own code. */
    private static final class SetReusePortFirst extends MethodVisitor {
        SetReusePortFirst(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            visitVarInsn(Opcodes.ALOAD, 0);
            visitFieldInsn(Opcodes.GETSTATIC, "java/net/StandardSocketOptions", "SO_REUSEPORT", "Ljava/net/SocketOption;");
            visitFieldInsn(Opcodes.GETSTATIC, "java/lang/Boolean", "TRUE", "Ljava/lang/Boolean;");
            visitMethodInsn(Opcodes.INVOKEVIRTUAL, TARGET, "setOption",
                    "(Ljava/net/SocketOption;Ljava/lang/Object;)Ljava/nio/channels/ServerSocketChannel;", false);
            visitInsn(Opcodes.POP);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, PROLOGUE_STACK), maxLocals);
        }
    }
}
