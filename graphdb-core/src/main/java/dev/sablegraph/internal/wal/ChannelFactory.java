package dev.sablegraph.internal.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the file channels of the write-ahead log. Every channel the log reads, writes or forces —
 * segments, new segments under construction, the directory itself when it is synced — comes from
 * here, so a test can wrap them to inject write, force and disk-full failures and to see which
 * file was forced. The log wraps each channel in an
 * {@link dev.sablegraph.internal.storage.InterruptSafeChannel}, which opens the file here again after
 * an interrupt closed it.
 */
@FunctionalInterface
public interface ChannelFactory {
    /** {@link FileChannel#open(Path, OpenOption...)}: the real file system. */
    ChannelFactory DEFAULT = FileChannel::open;

    FileChannel open(Path path, OpenOption... options) throws IOException;
}
