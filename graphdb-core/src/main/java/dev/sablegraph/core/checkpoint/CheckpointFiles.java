package dev.sablegraph.core.checkpoint;

import dev.sablegraph.core.CorruptionException;
import dev.sablegraph.core.GraphException;
import dev.sablegraph.core.storage.PageCache;
import dev.sablegraph.core.storage.PageLayout;
import dev.sablegraph.core.storage.Pager;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * the checkpoint's {@link CheckpointInfo}; it is forced before any page is written in place. A crash
 * while pages are written in place (torn or missing page writes) is repaired at recovery by writing
 * the image's pages again. {@code control} holds the newest completed checkpoint's info; it is
 * replaced atomically (write a temporary file, force, rename, force the directory).
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
    static final String DWB = "checkpoint.dwb";
    static final String CONTROL = "control";
    private static final byte[] DWB_MAGIC = "SABLEDWB".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTROL_MAGIC = "SABLECTL".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;

    private final Path directory;

    public CheckpointFiles(Path directory) {
        this.directory = directory;
    }

    /**
     * Writes a checkpoint: the double-write image (forced), the pages in place (forced), then the
     * control file; finally drops the image. The caller has made the log durable up to
     * {@code info.lsn()} first: no page may reach the data file before the log records that made it.
     */
    public void write(Pager pager, CheckpointInfo info, ByteBuffer headerImage, List<PageCache.DirtyPageImage> pages) {
        int pageSize = pager.pageSize();
        Path dwb = directory.resolve(DWB);
        try (FileChannel ch = FileChannel.open(dwb, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            CRC32C crc = new CRC32C();
            ByteBuffer head = ByteBuffer.allocate(16 + infoSize(info) + 4);
            head.put(DWB_MAGIC).putInt(VERSION).putInt(pageSize);
            putInfo(head, info);
            head.putInt(pages.size() + 1).flip();
            writeAll(ch, head, crc);
            writePage(ch, 0, headerImage, crc);
            for (PageCache.DirtyPageImage p : pages) {
                writePage(ch, p.pageId(), p.image(), crc);
            }
            ByteBuffer trailer = ByteBuffer.allocate(4).putInt((int) crc.getValue()).flip();
            while (trailer.hasRemaining()) {
                ch.write(trailer);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new GraphException("cannot write checkpoint image " + dwb + ": " + e.getMessage(), e);
        }
        for (PageCache.DirtyPageImage p : pages) {
            pager.writeImage(p.pageId(), p.image().duplicate());
        }
        pager.writeImage(0, headerImage.duplicate());
        pager.force();
        writeControl(info);
        deleteQuietly(dwb);
    }

    /**
     * Brings the data file to the newest complete checkpoint and returns its info: re-applies a
     * complete double-write image (a crash may have torn its in-place writes), discards an incomplete
     * one (nothing was written in place before it was complete), and reads the control file.
     */
    public CheckpointInfo recover(Path dataFile) {
        Path dwb = directory.resolve(DWB);
        if (Files.exists(dwb)) {
            CheckpointInfo fromImage = applyImage(dwb, dataFile);
            if (fromImage != null) {
                writeControl(fromImage);
            }
            deleteQuietly(dwb);
        }
        return readControl();
    }

    private CheckpointInfo applyImage(Path dwb, Path dataFile) {
        byte[] all;
        try {
            all = Files.readAllBytes(dwb);
        } catch (IOException e) {
            throw new GraphException("cannot read " + dwb + ": " + e.getMessage(), e);
        }
        if (all.length < 4 || !checksumOk(all)) {
            return null; // incomplete: the crash came before any page was written in place
        }
        ByteBuffer in = ByteBuffer.wrap(all, 0, all.length - 4);
        byte[] magic = new byte[8];
        in.get(magic);
        int version;
        if (!Arrays.equals(magic, DWB_MAGIC) || !readable(version = in.getInt())) {
            throw new CorruptionException(dwb, -1, "not a checkpoint image");
        }
        int pageSize = in.getInt();
        if (pageSize < 4096 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new CorruptionException(dwb, -1, "invalid page size " + pageSize);
        }
        CheckpointInfo info = getInfo(in, dwb, version);
        int count = in.getInt();
        try (FileChannel data = FileChannel.open(dataFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (int i = 0; i < count; i++) {
                long pageId = in.getLong();
                ByteBuffer page = ByteBuffer.wrap(all, in.position(), pageSize).slice();
                in.position(in.position() + pageSize);
                while (page.hasRemaining()) {
                    data.write(page, pageId * pageSize + page.position());
                }
            }
            data.force(true);
        } catch (IOException e) {
            throw new GraphException("cannot repair " + dataFile + " from " + dwb + ": " + e.getMessage(), e);
        }
        return info;
    }

    /** The newest completed checkpoint, or {@link CheckpointInfo#EMPTY} for a database that has none. */
    public CheckpointInfo readControl() {
        Path control = directory.resolve(CONTROL);
        if (!Files.exists(control)) {
            return CheckpointInfo.EMPTY;
        }
        byte[] all;
        try {
            all = Files.readAllBytes(control);
        } catch (IOException e) {
            throw new GraphException("cannot read " + control + ": " + e.getMessage(), e);
        }
        if (all.length < 16 || !checksumOk(all)) {
            throw new CorruptionException(control, -1, "control file checksum mismatch");
        }
        ByteBuffer in = ByteBuffer.wrap(all, 0, all.length - 4);
        byte[] magic = new byte[8];
        in.get(magic);
        int version = in.getInt();
        if (!Arrays.equals(magic, CONTROL_MAGIC) || !readable(version)) {
            throw new CorruptionException(control, -1, "not a Sable control file of version 1 or " + VERSION
                    + " (version " + version + ")");
        }
        return getInfo(in, control, version);
    }

    private void writeControl(CheckpointInfo info) {
        Path tmp = directory.resolve(CONTROL + ".tmp");
        ByteBuffer b = ByteBuffer.allocate(12 + infoSize(info) + 4);
        b.put(CONTROL_MAGIC).putInt(VERSION);
        putInfo(b, info);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue()).flip();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
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
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
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

    private static CheckpointInfo getInfo(ByteBuffer in, Path file, int version) {
        long lsn = in.getLong();
        long[] nodes = getIds(in, file);
        long[] edges = getIds(in, file);
        long[] stale = version >= 2 ? getIds(in, file) : new long[0];
        return new CheckpointInfo(lsn, nodes, edges, stale);
    }

    private static long[] getIds(ByteBuffer in, Path file) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining() / 8) {
            throw new CorruptionException(file, -1, "id count " + n + " exceeds the file");
        }
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = in.getLong();
        }
        return ids;
    }

    private static boolean checksumOk(byte[] all) {
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        return ByteBuffer.wrap(all, all.length - 4, 4).getInt() == (int) crc.getValue();
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
            // a stale image is discarded or re-applied harmlessly at the next recovery
        }
    }
}
