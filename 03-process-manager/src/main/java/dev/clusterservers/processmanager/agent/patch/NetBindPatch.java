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
 * Adds a few instructions at the start of {@code sun.nio.ch.ServerSocketChannelImpl.netBind},
 * the private method through which the JDK funnels every TCP bind of a server channel (Jetty,
 * Netty's NIO transport, the JDK's {@code HttpServer}, {@code ServerSocket} since JDK 13).
 * Each strategy of sharing a port ({@link ReusePortPatch}, {@link SharedListenerPatch}) says
 * only what its prologue is; applying it is the same for both.
 */
abstract class NetBindPatch implements ClassFileTransformer {
    static final String TARGET = "sun/nio/ch/ServerSocketChannelImpl";
    static final String METHOD = "netBind";

    /** Transforms the already loaded JDK class once, then steps aside. */
    final void apply(Instrumentation instrumentation) throws UnmodifiableClassException, ClassNotFoundException {
        instrumentation.addTransformer(this, true);
        // Loading the class does not run any of its code; retransforming applies the patch now.
        instrumentation.retransformClasses(Class.forName(TARGET.replace('/', '.'), false, null));
        instrumentation.removeTransformer(this);
    }

    /** Writes the prologue; the method's own code follows it unchanged. */
    abstract void prologue(MethodVisitor method);

    /** How many stack slots the prologue needs at most. */
    abstract int prologueStack();

    @Override
    public final byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
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
                return METHOD.equals(name) ? new Prologue(method) : method;
            }
        }, 0);
        return writer.toByteArray();
    }

    private final class Prologue extends MethodVisitor {
        Prologue(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            prologue(mv);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, prologueStack()), maxLocals);
        }
    }
}
