package dev.clusterservers.processmanager.agent;

import java.net.SocketAddress;
import java.util.function.BiFunction;

/**
 * The one class of jpm the JDK's own code calls: the patched
 * {@code ServerSocketChannelImpl.netBind} asks it, before it binds, whether to bind at all.
 *
 * <p>The JDK's class is loaded by the bootstrap class loader, which cannot see this class: the
 * patch finds it by name through the system class loader (the agent's jar is on the system
 * class path) and calls it by reflection, once per bind. A bind is rare; nothing of this runs
 * per connection. The other way, appending a jar to the bootstrap search path, would switch
 * off class data sharing for every class not in the JDK. What the hook does is set by the
 * patch ({@code patch/SharedListenerPatch}) from the agent's private class loader.
 */
public final class BindHook {
    /** (the channel's file descriptor number, the address asked for) to the bound address, or null to bind as usual. */
    private static volatile BiFunction<Integer, SocketAddress, SocketAddress> hook;

    private BindHook() {
    }

    static void install(BiFunction<Integer, SocketAddress, SocketAddress> beforeBind) {
        hook = beforeBind;
    }

    /** Called first thing in {@code netBind}: a non-null answer is returned as the bound address. */
    public static SocketAddress beforeBind(int fd, SocketAddress local) {
        BiFunction<Integer, SocketAddress, SocketAddress> current = hook;
        return current == null ? null : current.apply(fd, local);
    }
}
