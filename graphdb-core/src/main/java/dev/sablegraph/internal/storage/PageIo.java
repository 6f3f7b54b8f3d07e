package dev.sablegraph.internal.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Whole-page positional I/O: the loops a short read or write needs, in one place for every page file. */
final class PageIo {
    private PageIo() {}

    /** Writes the first {@code pageSize} bytes of {@code page} at {@code position}. */
    static void write(FileChannel channel, ByteBuffer page, int pageSize, long position) throws IOException {
        ByteBuffer buf = page.duplicate().clear().limit(pageSize);
        while (buf.hasRemaining()) {
            channel.write(buf, position + buf.position());
        }
    }

    /**
     * Reads {@code pageSize} bytes at {@code position} into {@code page} (from 0); returns false if
     * the file ends first.
     */
    static boolean read(FileChannel channel, ByteBuffer page, int pageSize, long position) throws IOException {
        ByteBuffer buf = page.duplicate().clear().limit(pageSize);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                return false;
            }
        }
        return true;
    }
}
