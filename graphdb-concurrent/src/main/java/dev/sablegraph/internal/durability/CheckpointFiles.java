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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
 * repairs it is durable on disk.</b> An image is written only over one that was either
 * completed (its pages in place and forced, its info in {@code control}) or found incomplete
 * (then nothing of it was written in place), and a complete image is retired (its magic zeroed,
 * {@link #retire}) or deleted only after its checkpoint is complete. So a checkpoint that failed
 * during its in-place writes leaves its image, and the next {@link #write} first completes that
 * checkpoint from it, as recovery would, before it replaces the image with its own; if it cannot,
 * it fails without touching the image. The file is written over, not deleted and created again,
 * while the database is open: a crash while it is written leaves a mix of two images, whose
 * checksum fails, so it is incomplete, as a half-written new file would be.
 *
 * <pre>
 * checkpoint.dwb: 8 bytes magic "SABLEDWB", u32 version 3, u32 page size, info, u32 page count,
 *                 page count × entry, u32 CRC32C of everything before it
 * entry:          u64 page number, u32 stored length n (1 to page size), n bytes: the sealed page
 *                 compressed with lz4 when n &lt; page size, else the page as it is (versions 1
 *                 and 2, still read: u64 page number, page bytes)
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
    /** Version of {@code control} (2 added the third id list of the info). */
    private static final int VERSION = 2;
    /** Version of {@code checkpoint.dwb}: 3 stores its pages compressed ({@link ImageCompression}). */
    private static final int IMAGE_VERSION = 3;

    /** Read buffer of recovery: images are streamed, never read whole. */
    private static final int READ_CHUNK = 1 << 16;
    /** Write and read buffer of an image: its pages are appended and read back a megabyte at a time. */
    private static final int IMAGE_CHUNK = 1 << 20;

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
     * <p>Memory: a megabyte and two pages, whatever the number of pages. Each captured page's image
     * is taken into one page buffer, compressed and appended to the image file through the
     * megabyte; the in-place writes then stream the image file back, as recovery would (without
     * its checksum pass). The caller {@link PageCache#release}s {@code pages} afterwards, whatever
     * happened.
     */
    public void write(Pager pager, CheckpointInfo info, ByteBuffer headerImage, List<PageCache.CapturedPage> pages) {
        write(DataFile.of(pager), pager.pageSize(), pager.cache(), info, headerImage, pages);
    }

    /** {@link #write(Pager, CheckpointInfo, ByteBuffer, List)} with the in-place writes going to {@code dataFile}. */
    void write(DataFile dataFile, int pageSize, PageCache cache, CheckpointInfo info, ByteBuffer headerImage,
            List<PageCache.CapturedPage> pages) {
        Path dwb = directory.resolve(DWB);
        if (holdsImage(dwb)) {
            try {
                completeLeftoverImage(dataFile);
            } catch (IOException e) {
                throw new GraphException("cannot complete the earlier checkpoint whose image " + dwb
                        + " is still on disk (it was kept; no new checkpoint was started): " + e.getMessage(), e);
            }
        }
        writeImage(pageSize, info, headerImage, pages, cache);
        try {
            applyImage(dwb, dataFile, false); // just written whole and forced: its checksum need not be read again
        } catch (IOException e) {
            throw new GraphException("cannot write checkpoint image " + dwb + " in place: " + e.getMessage(), e);
        }
        writeControl(info);
        retire(dwb);
    }

    /**
     * Writes and forces the double-write image (page 0 is the header, then the pages in the order
     * of their numbers, which is the order they are written in place), then forces the directory:
     * the image may have just been created, and a crash after in-place writes began must find it.
     */
    void writeImage(int pageSize, CheckpointInfo info, ByteBuffer headerImage, List<PageCache.CapturedPage> pages,
            PageCache cache) {
        Path dwb = directory.resolve(DWB);
        List<PageCache.CapturedPage> ordered = new ArrayList<>(pages);
        ordered.sort(Comparator.comparingLong(PageCache.CapturedPage::pageId));
        // Written over the retired image, not into a new file: deleting a large file and allocating
        // its blocks again cost 9 % of a checkpoint's time on a file system mounted with discard.
        try (FileChannel ch = channels.open(dwb, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ImageOutput out = new ImageOutput(ch, pageSize);
            ByteBuffer head = ByteBuffer.allocate(imageHeaderBytes(info));
            head.put(DWB_MAGIC).putInt(IMAGE_VERSION).putInt(pageSize);
            putInfo(head, info);
            head.putInt(pages.size() + 1).flip();
            out.put(head);
            out.putPage(0, headerImage);
            ByteBuffer page = ByteBuffer.allocate(pageSize);
            for (PageCache.CapturedPage p : ordered) {
                cache.takeImage(p, page);
                out.putPage(p.pageId(), page);
            }
            out.finish();
            ch.truncate(ch.position()); // the checksum must end the file
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
     * Appends an image a megabyte at a time, each page sealed and compressed, and keeps the
     * checksum of everything appended. Memory: the buffer and two pages.
     */
    private static final class ImageOutput {
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(IMAGE_CHUNK);
        private final byte[] compressed;
        private final CRC32C crc = new CRC32C();

        ImageOutput(FileChannel channel, int pageSize) {
            this.channel = channel;
            this.compressed = new byte[ImageCompression.maxStoredBytes(pageSize)];
        }

        void put(ByteBuffer bytes) throws IOException {
            if (buffer.remaining() < bytes.remaining()) {
                drain();
            }
            buffer.put(bytes);
        }

        /** Seals {@code image} (a heap page, written verbatim at recovery) and appends its entry. */
        void putPage(long pageId, ByteBuffer image) throws IOException {
            PageLayout.seal(image, pageId);
            byte[] raw = image.array();
            int stored = ImageCompression.compress(raw, compressed);
            if (buffer.remaining() < 12 + stored) {
                drain();
            }
            buffer.putLong(pageId).putInt(stored).put(stored < raw.length ? compressed : raw, 0, stored);
        }

        /** Writes what is buffered, then the checksum of everything before it. */
        void finish() throws IOException {
            drain();
            ByteBuffer trailer = ByteBuffer.allocate(4).putInt(0, (int) crc.getValue());
            while (trailer.hasRemaining()) {
                channel.write(trailer);
            }
        }

        private void drain() throws IOException {
            crc.update(buffer.array(), 0, buffer.position());
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }
    }

    /**
     * Brings the data file to the newest complete checkpoint and returns its info: re-applies a
     * complete double-write image (a crash may have torn its in-place writes), discards an incomplete
     * one (nothing was written in place before it was complete), and reads the control file.
     */
    public CheckpointInfo recover(Path dataFile) {
        Path dwb = directory.resolve(DWB);
        if (holdsImage(dwb)) {
            try (FileChannel data = channels.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                completeLeftoverImage(DataFile.of(data));
            } catch (IOException e) {
                throw new GraphException("cannot repair " + dataFile + " from " + dwb + ": " + e.getMessage(), e);
            }
        }
        deleteQuietly(dwb);
        return readControl();
    }

    /**
     * Completes the checkpoint whose image is on disk: a complete image's pages are written in place
     * again and its info installed as {@code control}, and the image is retired; an incomplete one
     * is left to be written over (nothing of it was written in place). A damaged image behind a
     * valid checksum throws and is kept.
     */
    private void completeLeftoverImage(DataFile dataFile) throws IOException {
        Path dwb = directory.resolve(DWB);
        CheckpointInfo fromImage = applyImage(dwb, dataFile, true);
        if (fromImage != null) {
            writeControl(fromImage);
            retire(dwb);
        }
    }

    /**
     * Whether {@code dwb} holds an image that may still be needed: it exists and was not retired.
     * A retired image starts with zeros where the magic was ({@link #retire}).
     */
    private boolean holdsImage(Path dwb) {
        if (!Files.exists(dwb)) {
            return false;
        }
        try (FileChannel ch = channels.open(dwb, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(DWB_MAGIC.length);
            while (magic.hasRemaining() && ch.read(magic, magic.position()) >= 0) {
                // a short read: go on until the magic is read or the file ends
            }
            return magic.hasRemaining() || !Arrays.equals(magic.array(), new byte[DWB_MAGIC.length]);
        } catch (IOException e) {
            return true; // let completing it report what is wrong
        }
    }

    /**
     * Marks the image of a completed checkpoint as no longer needed, by zeroing its magic, and
     * keeps the file for the next checkpoint to write over. Not forced: if a crash loses the
     * zeros, recovery finds the newest completed checkpoint's image and writes its pages in place
     * again, which changes nothing (only checkpoints write the data file). For the same reason a
     * failure here is ignored: the next checkpoint or recovery completes that image again.
     */
    private void retire(Path dwb) {
        try (FileChannel ch = channels.open(dwb, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(DWB_MAGIC.length);
            while (zeros.hasRemaining()) {
                ch.write(zeros, zeros.position());
            }
        } catch (IOException ignored) {
            // see above: a complete image of the newest checkpoint is harmless
        }
    }

    /**
     * Deletes the image file if it holds nothing that may be needed: at close, so that a closed
     * database's directory holds no image. A retired one is left while the database is open, for
     * the next checkpoint to write over.
     */
    public void dropRetiredImage() {
        Path dwb = directory.resolve(DWB);
        if (!holdsImage(dwb)) { // absent or retired
            deleteQuietly(dwb);
        }
    }

    /**
     * Writes a complete image's pages in place, forces them and returns its info, or returns null
     * for an incomplete image (nothing was written in place before it was complete). With
     * {@code checkComplete} false the caller knows it is complete: it has just written and forced it.
     */
    private CheckpointInfo applyImage(Path dwb, DataFile dataFile, boolean checkComplete) throws IOException {
        try (ImageReader image = ImageReader.open(dwb, channels, checkComplete)) {
            if (image == null) {
                return null;
            }
            return image.applyTo(dataFile);
        }
    }

    /**
     * A complete double-write image, open at its first page entry. Streams the file (and once more
     * before, for its checksum, when it may be incomplete) with a read buffer and two pages of memory: an
     * image may hold half of a page cache of many gigabytes (an earlier version read it whole
     * into one array).
     */
    private static final class ImageReader implements Closeable {
        final Path file;
        final FileChannel channel;
        final DataInputStream in;
        final int version;
        final int pageSize;
        final CheckpointInfo info;
        final int count;
        /** Bytes of the page entries: from after the header to the checksum. */
        final long entryBytes;

        /** Reads the header; closes {@code channel} if that fails. */
        private ImageReader(Path file, FileChannel channel, long size) throws IOException {
            this.file = file;
            this.channel = channel;
            try {
                this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), IMAGE_CHUNK));
                byte[] magic = new byte[8];
                in.readFully(magic);
                version = in.readInt();
                if (!Arrays.equals(magic, DWB_MAGIC) || !readableImage(version)) {
                    throw new CorruptionException(file, -1, "not a checkpoint image");
                }
                pageSize = in.readInt();
                if (pageSize < 4096 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
                    throw new CorruptionException(file, -1, "invalid page size " + pageSize);
                }
                info = getInfo(in, size, file, version);
                count = in.readInt();
            } catch (EOFException e) {
                channel.close();
                throw new CorruptionException(file, -1, "checkpoint image ends inside its header", e);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            entryBytes = size - 4 - imageHeaderBytes(info);
            boolean fits = version < IMAGE_VERSION
                    ? count >= 0 && entryBytes == count * (8L + pageSize)
                    : count >= 0 && entryBytes >= count * 13L && entryBytes <= count * (12L + pageSize);
            if (!fits) {
                channel.close();
                throw new CorruptionException(file, -1, "image of " + size + " bytes cannot hold " + count
                        + " pages of " + pageSize + " bytes");
            }
        }

        /**
         * The image at {@code file}, or null when {@code checkComplete} and its checksum fails;
         * damage behind a valid checksum throws.
         */
        static ImageReader open(Path file, ChannelFactory channels, boolean checkComplete) throws IOException {
            FileChannel ch = channels.open(file, StandardOpenOption.READ);
            long size;
            try {
                size = ch.size();
                if (checkComplete && (size < 4 || !checksumOk(ch, size))) {
                    ch.close();
                    return null;
                }
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            return new ImageReader(file, ch, size);
        }

        /** Writes every page in place, in the image's order, forces the data file and returns the info. */
        CheckpointInfo applyTo(DataFile sink) throws IOException {
            ByteBuffer page = ByteBuffer.allocate(pageSize);
            byte[] stored = new byte[pageSize];
            long read = 0;
            for (int i = 0; i < count; i++) {
                long pageId = in.readLong();
                if (pageId < 0 || pageId > Long.MAX_VALUE / pageSize - 1) {
                    throw new CorruptionException(file, -1, "page number " + pageId + " of image entry " + i);
                }
                int length = version < IMAGE_VERSION ? pageSize : in.readInt();
                read += (version < IMAGE_VERSION ? 8 : 12) + (long) Math.max(length, 0);
                if (length < 1 || length > pageSize || read > entryBytes) {
                    throw new CorruptionException(file, -1, "image entry " + i + " (page " + pageId + ") claims "
                            + length + " bytes");
                }
                if (length == pageSize) {
                    in.readFully(page.array());
                } else {
                    in.readFully(stored, 0, length);
                    if (!ImageCompression.decompress(stored, length, page.array())) {
                        throw new CorruptionException(file, -1, "image entry " + i + " (page " + pageId
                                + ") does not decompress to one page");
                    }
                }
                if (!PageLayout.checksumMatches(page, pageId)) {
                    throw new CorruptionException(file, -1, "image entry " + i + " (page " + pageId
                            + ") fails its page checksum");
                }
                sink.write(pageId, page.clear());
            }
            if (read != entryBytes) {
                throw new CorruptionException(file, -1, "image holds " + (entryBytes - read) + " bytes after its "
                        + count + " pages");
            }
            sink.force();
            return info;
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

    private static boolean readableImage(int version) {
        return version >= 1 && version <= IMAGE_VERSION;
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

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stale image is re-applied harmlessly by the next checkpoint or recovery: its checkpoint
            // is complete, and only checkpoints write the data file (the cache evicts to the spill file)
        }
    }
}
