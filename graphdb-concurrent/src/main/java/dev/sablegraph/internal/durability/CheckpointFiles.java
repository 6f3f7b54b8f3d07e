package dev.sablegraph.internal.durability;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.IncompatibleFormatException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.internal.graph.DatabaseFiles;
import dev.sablegraph.internal.storage.InterruptSafeChannel;
import dev.sablegraph.internal.storage.PageCache;
import dev.sablegraph.internal.storage.PageLayout;
import dev.sablegraph.internal.storage.Pager;
import dev.sablegraph.internal.util.SableVersion;
import dev.sablegraph.internal.wal.ChannelFactory;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The two files that make checkpoints crash-safe.
 *
 * <p>{@code checkpoint.dwb} (double-write image) holds every page a checkpoint is about to write, and
 * the checkpoint's {@link CheckpointInfo}; it and its directory entry are forced before any page is
 * written in place. A crash while pages are written in place (torn or missing page writes) is
 * repaired at recovery by writing the image's pages again. {@code control} holds the newest
 * completed checkpoint's info; it is replaced atomically (write a temporary file, force, rename,
 * force the directory).
 *
 * <p>The invariant: <b>whenever the data file may be partially written, a complete image that
 * repairs it is durable on disk.</b> An image is created only after the previous one was either
 * completed (its pages in place and forced, its info in {@code control}) or found incomplete
 * (then nothing of it was written in place), and a complete image is deleted only after its
 * checkpoint is complete. So a checkpoint that failed during its in-place writes leaves its image, and the next
 * {@link #write} first completes that checkpoint from it, as recovery would, before it replaces
 * the image with its own; if it cannot, it fails without touching the image.
 *
 * <pre>
 * checkpoint.dwb: 8 bytes magic "SABLEDWB", u32 version 1, u32 page size, info, u32 page count,
 *                 page count × (u64 page number, page bytes), u32 CRC32C of everything before it
 * control:        8 bytes magic "SABLECTL", u32 version 2, info, u32 CRC32C of everything before it
 * info:           u64 log position, then three id lists, each u32 n and n × u64 ids: pending node
 *                 deletes, pending edge deletes, nodes with stale index entries (version 1 files
 *                 lack the third list; they are read as having none)
 * </pre>
 */
public final class CheckpointFiles {
    public static final String DWB = DatabaseFiles.CHECKPOINT_IMAGE;
    public static final String CONTROL = DatabaseFiles.CHECKPOINT_CONTROL;
    private static final byte[] DWB_MAGIC = "SABLEDWB".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTROL_MAGIC = "SABLECTL".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;

    /** Read buffer of recovery: images are streamed, never read whole. */
    private static final int READ_CHUNK = 1 << 16;

    private final Path directory;
    private final ChannelFactory channels;

    public CheckpointFiles(Path directory) {
        this(directory, ChannelFactory.DEFAULT);
    }

    /**
     * Every channel these files are read, written and forced through, the directory's too, comes
     * from {@code channels}, wrapped so that an interrupt of the calling thread cannot close it
     * (checkpoints run on committing and closing threads; docs/durability.md, "Interrupts").
     */
    CheckpointFiles(Path directory, ChannelFactory channels) {
        this.directory = directory;
        this.channels = (path, options) -> InterruptSafeChannel.open(channels::open, path, options);
    }

    /** Where a checkpoint's pages are written in place: the open data file, or the file itself at recovery. */
    interface DataFile {
        /** Writes {@code page} (a whole sealed page, position 0) as page {@code pageId}. */
        void write(long pageId, ByteBuffer page) throws IOException;

        void force() throws IOException;

        /** The data file behind a running pager: its writes keep the pager's idea of the file's size right. */
        static DataFile of(Pager pager) {
            return new DataFile() {
                @Override
                public void write(long pageId, ByteBuffer page) {
                    pager.writeImage(pageId, page);
                }

                @Override
                public void force() {
                    pager.force();
                }
            };
        }

        /** The data file opened by recovery, before any pager exists. */
        static DataFile of(FileChannel channel) {
            return new DataFile() {
                @Override
                public void write(long pageId, ByteBuffer page) throws IOException {
                    while (page.hasRemaining()) {
                        channel.write(page, pageId * page.capacity() + page.position());
                    }
                }

                @Override
                public void force() throws IOException {
                    channel.force(true);
                }
            };
        }
    }

    /**
     * Writes a checkpoint: completes an earlier one whose image is still on disk (see the class
     * comment), then writes the double-write image (forced, with its directory entry), the pages in
     * place (forced), then the control file; finally drops the image. The caller has made the log
     * durable up to {@code info.lsn()} first: no page may reach the data file before the log
     * records that made it. One checkpoint at a time: the caller serialises them, and nothing but
     * checkpoints writes the data file (its page cache evicts to the spill file), so completing an earlier
     * checkpoint writes no page older than the file holds.
     *
     * <p>Memory: one page at a time. Each captured page's image is taken into one buffer and
     * appended to the image file; the in-place writes then stream the image file back, as recovery
     * would. The caller {@link PageCache#release}s {@code pages} afterwards, whatever happened.
     */
    public void write(Pager pager, CheckpointInfo info, ByteBuffer headerImage, List<PageCache.CapturedPage> pages) {
        write(DataFile.of(pager), pager.pageSize(), pager.cache(), info, headerImage, pages);
    }

    /** {@link #write(Pager, CheckpointInfo, ByteBuffer, List)} with the in-place writes going to {@code dataFile}. */
    void write(DataFile dataFile, int pageSize, PageCache cache, CheckpointInfo info, ByteBuffer headerImage,
            List<PageCache.CapturedPage> pages) {
        Path dwb = directory.resolve(DWB);
        if (Files.exists(dwb)) {
            try {
                completeLeftoverImage(dataFile);
            } catch (IOException e) {
                throw new GraphException("cannot complete the earlier checkpoint whose image " + dwb
                        + " is still on disk (it was kept; no new checkpoint was started): " + e.getMessage(), e);
            }
        }
        writeImage(pageSize, info, headerImage, pages, cache);
        try {
            if (applyImage(dwb, dataFile) == null) {
                throw new GraphException("checkpoint image " + dwb + " does not read back whole after it was forced");
            }
        } catch (IOException e) {
            throw new GraphException("cannot write checkpoint image " + dwb + " in place: " + e.getMessage(), e);
        }
        writeControl(info);
        deleteQuietly(dwb);
    }

    /**
     * Writes and forces the double-write image (page 0 is the header), then forces the directory:
     * the image may have just been created, and a crash after in-place writes began must find it.
     */
    void writeImage(int pageSize, CheckpointInfo info, ByteBuffer headerImage, List<PageCache.CapturedPage> pages,
            PageCache cache) {
        Path dwb = directory.resolve(DWB);
        try (FileChannel ch = channels.open(dwb, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            CRC32C crc = new CRC32C();
            ByteBuffer head = ByteBuffer.allocate(imageHeaderBytes(info));
            head.put(DWB_MAGIC).putInt(VERSION).putInt(pageSize);
            putInfo(head, info);
            head.putInt(pages.size() + 1).flip();
            writeAll(ch, head, crc);
            writePage(ch, 0, headerImage, crc);
            ByteBuffer page = ByteBuffer.allocate(pageSize);
            for (PageCache.CapturedPage p : pages) {
                cache.takeImage(p, page);
                writePage(ch, p.pageId(), page, crc);
            }
            ByteBuffer trailer = ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
            while (trailer.hasRemaining()) {
                ch.write(trailer);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new GraphException("cannot write checkpoint image " + dwb + ": " + e.getMessage(), e);
        }
        try {
            forceDirectory();
        } catch (IOException e) {
            throw new GraphException("cannot force " + directory + " after writing " + dwb + ": " + e.getMessage(), e);
        }
    }

    /**
     * Brings the data file to the newest complete checkpoint and returns its info: re-applies a
     * complete double-write image (a crash may have torn its in-place writes), discards an incomplete
     * one (nothing was written in place before it was complete), and reads the control file.
     */
    public CheckpointInfo recover(Path dataFile) {
        Path dwb = directory.resolve(DWB);
        if (Files.exists(dwb)) {
            try (FileChannel data = channels.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                completeLeftoverImage(DataFile.of(data));
            } catch (IOException e) {
                throw new GraphException("cannot repair " + dataFile + " from " + dwb + ": " + e.getMessage(), e);
            }
        }
        return readControl();
    }

    /**
     * Completes the checkpoint whose image is on disk: a complete image's pages are written in place
     * again and its info installed as {@code control}; an incomplete one is dropped (nothing of it
     * was written in place). A damaged image behind a valid checksum throws and is kept.
     */
    private void completeLeftoverImage(DataFile dataFile) throws IOException {
        Path dwb = directory.resolve(DWB);
        CheckpointInfo fromImage = applyImage(dwb, dataFile);
        if (fromImage != null) {
            writeControl(fromImage);
        }
        deleteQuietly(dwb);
    }

    /**
     * Writes a complete image's pages in place, forces them and returns its info, or returns null
     * for an incomplete image (nothing was written in place before it was complete).
     */
    private CheckpointInfo applyImage(Path dwb, DataFile dataFile) throws IOException {
        try (ImageReader image = ImageReader.openIfComplete(dwb, channels)) {
            if (image == null) {
                return null;
            }
            image.forEachPage(dataFile);
            dataFile.force();
            return image.info;
        }
    }

    /**
     * A complete double-write image, open at its first page entry. Streams the file twice
     * (checksum, then pages) with a read buffer and one page of memory: an image may hold half of
     * a page cache of many gigabytes (an earlier version read it whole into one array).
     */
    private static final class ImageReader implements Closeable {
        final Path file;
        final FileChannel channel;
        final DataInputStream in;
        final int pageSize;
        final CheckpointInfo info;
        final int count;

        private ImageReader(Path file, FileChannel channel, long size) throws IOException {
            this.file = file;
            this.channel = channel;
            this.in = input(channel);
            try {
                byte[] magic = new byte[8];
                in.readFully(magic);
                int version = in.readInt();
                if (!Arrays.equals(magic, DWB_MAGIC) || !readable(version)) {
                    throw new CorruptionException(file, -1, "not a checkpoint image");
                }
                pageSize = in.readInt();
                if (pageSize < 4096 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
                    throw new CorruptionException(file, -1, "invalid page size " + pageSize);
                }
                info = getInfo(in, size, file, version);
                count = in.readInt();
            } catch (EOFException e) {
                throw new CorruptionException(file, -1, "checkpoint image ends inside its header", e);
            }
            long pagesBytes = size - 4 - imageHeaderBytes(info);
            if (count < 0 || pagesBytes != count * (8L + pageSize)) {
                throw new CorruptionException(file, -1, "image of " + size + " bytes cannot hold " + count
                        + " pages of " + pageSize + " bytes");
            }
        }

        /** The image at {@code file} if its checksum holds, else null; damage behind a valid checksum throws. */
        static ImageReader openIfComplete(Path file, ChannelFactory channels) throws IOException {
            FileChannel ch = channels.open(file, StandardOpenOption.READ);
            try {
                long size = ch.size();
                if (size < 4 || !checksumOk(ch, size)) {
                    ch.close();
                    return null;
                }
                return new ImageReader(file, ch, size);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        void forEachPage(DataFile sink) throws IOException {
            ByteBuffer page = ByteBuffer.allocate(pageSize);
            for (int i = 0; i < count; i++) {
                long pageId = in.readLong();
                if (pageId < 0 || pageId > Long.MAX_VALUE / pageSize - 1) {
                    throw new CorruptionException(file, -1, "page number " + pageId + " of image entry " + i);
                }
                in.readFully(page.array());
                sink.write(pageId, page.clear());
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A buffered reader of {@code ch} from its current position (images and the control file are big-endian, as DataInput). */
    private static DataInputStream input(FileChannel ch) {
        return new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch), READ_CHUNK));
    }

    /** Whether the last 4 bytes are the CRC32C of everything before them, read a chunk at a time. */
    private static boolean checksumOk(FileChannel ch, long size) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK);
        long pos = 0;
        while (pos < size - 4) {
            chunk.clear().limit((int) Math.min(READ_CHUNK, size - 4 - pos));
            int n = ch.read(chunk, pos);
            if (n < 0) {
                return false; // shrank while we read: not a complete image
            }
            pos += n;
            crc.update(chunk.flip());
        }
        ByteBuffer trailer = ByteBuffer.allocate(4);
        while (trailer.hasRemaining()) {
            if (ch.read(trailer, size - 4 + trailer.position()) < 0) {
                return false;
            }
        }
        return trailer.getInt(0) == (int) crc.getValue();
    }

    /** The newest completed checkpoint, or {@link CheckpointInfo#EMPTY} for a database that has none. */
    public CheckpointInfo readControl() {
        Path control = directory.resolve(CONTROL);
        if (!Files.exists(control)) {
            return CheckpointInfo.EMPTY;
        }
        try (FileChannel ch = channels.open(control, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 16 || !checksumOk(ch, size)) {
                throw new CorruptionException(control, -1, "control file checksum mismatch");
            }
            DataInputStream in = input(ch);
            byte[] magic = new byte[8];
            in.readFully(magic);
            int version = in.readInt();
            if (!Arrays.equals(magic, CONTROL_MAGIC)) {
                throw new CorruptionException(control, -1, "not a Sable control file (bad magic)");
            }
            if (!readable(version)) { // its checksum holds: another build wrote it
                throw new IncompatibleFormatException(control, "control file", version, 1, VERSION, SableVersion.get());
            }
            return getInfo(in, size, control, version);
        } catch (EOFException e) {
            throw new CorruptionException(control, -1, "control file ends inside its info", e);
        } catch (IOException e) {
            throw new GraphException("cannot read " + control + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records {@code info} as the newest complete checkpoint: replaces {@code control} atomically
     * (temporary file, forced, renamed, directory forced). Checkpoints call it once their pages
     * are in place and forced; a backup, for the copy of a checkpoint's data file.
     */
    public void writeControl(CheckpointInfo info) {
        Path tmp = directory.resolve(CONTROL + ".tmp");
        ByteBuffer b = ByteBuffer.allocate(12 + infoSize(info) + 4);
        b.put(CONTROL_MAGIC).putInt(VERSION);
        putInfo(b, info);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue()).flip();
        try (FileChannel ch = channels.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new GraphException("cannot write " + tmp + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, directory.resolve(CONTROL), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (IOException e) {
            throw new GraphException("cannot install " + directory.resolve(CONTROL) + ": " + e.getMessage(), e);
        }
    }

    private void forceDirectory() throws IOException {
        try (FileChannel dir = channels.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Bytes before an image's first page entry: magic, version, page size, info, page count. */
    private static int imageHeaderBytes(CheckpointInfo info) {
        return 16 + infoSize(info) + 4;
    }

    private static int infoSize(CheckpointInfo info) {
        return 8 + 4 * 3 + 8 * (info.pendingNodeDeletes().length + info.pendingEdgeDeletes().length
                + info.staleIndexNodes().length);
    }

    private static boolean readable(int version) {
        return version == 1 || version == VERSION;
    }

    private static void putInfo(ByteBuffer b, CheckpointInfo info) {
        b.putLong(info.lsn());
        putIds(b, info.pendingNodeDeletes());
        putIds(b, info.pendingEdgeDeletes());
        putIds(b, info.staleIndexNodes());
    }

    private static void putIds(ByteBuffer b, long[] ids) {
        b.putInt(ids.length);
        for (long id : ids) {
            b.putLong(id);
        }
    }

    /** Reads an info; {@code fileBytes} bounds the id lists so that a bad count cannot allocate more. */
    private static CheckpointInfo getInfo(DataInput in, long fileBytes, Path file, int version) throws IOException {
        long lsn = in.readLong();
        long[] nodes = getIds(in, fileBytes, file);
        long[] edges = getIds(in, fileBytes, file);
        long[] stale = version >= 2 ? getIds(in, fileBytes, file) : new long[0];
        return new CheckpointInfo(lsn, nodes, edges, stale);
    }

    private static long[] getIds(DataInput in, long fileBytes, Path file) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > fileBytes / 8) {
            throw new CorruptionException(file, -1, "id count " + n + " exceeds the file");
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = in.readLong();
        }
        return ids;
    }

    private static void writeAll(FileChannel ch, ByteBuffer b, CRC32C crc) throws IOException {
        crc.update(b.duplicate());
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Seals the image (it is written verbatim at recovery) and appends it. */
    private static void writePage(FileChannel ch, long pageId, ByteBuffer image, CRC32C crc) throws IOException {
        PageLayout.seal(image, pageId);
        writeAll(ch, ByteBuffer.allocate(8).putLong(0, pageId), crc);
        writeAll(ch, image.duplicate().clear(), crc);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale image is re-applied harmlessly by the next checkpoint or recovery: its checkpoint
            // is complete, and only checkpoints write the data file (the cache evicts to the spill file)
        }
    }
}
