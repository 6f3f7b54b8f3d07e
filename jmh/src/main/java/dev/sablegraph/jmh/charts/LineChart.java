package dev.sablegraph.jmh.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart over categorical x values (thread counts, dataset sizes), rendered as plain SVG by
 * {@link #toSvg()}: y axis from 0 with 1-2-5 ticks, one polyline per series with a marker per point,
 * optional error bars (clipped with an arrowhead where one would stretch the axis beyond
 * {@value #CLIP_FACTOR} times the highest point), a legend, a title and subtitle lines. Each series is an SVG group
 * {@code <g class="series" data-name="...">} holding a {@code <polyline>} and one
 * {@code <circle>} or {@code <rect>} per point carrying {@code data-x}, {@code data-y} and
 * {@code data-error}, so a chart's data can be read back from the file.
 *
 * @param title first line of the heading
 * @param subtitle further heading lines (machine, run settings, what the error bars are)
 * @param xLabel label under the x axis
 * @param yLabel label beside the y axis
 * @param categories the x values, left to right, as labels ({@code \n} starts a smaller second line)
 * @param series the lines
 * @param footer small print at the bottom (sources); may be empty
 */
public record LineChart(String title, List<String> subtitle, String xLabel, String yLabel, List<String> categories,
        List<Series> series, List<String> footer) {

    /** One point: x is an index into {@link #categories}; {@code error} is the half-width of its bar (NaN: none). */
    public record Point(int x, double y, double error) {}

    /**
     * A line.
     *
     * @param name legend text
     * @param style {@code solid}, {@code dashed} or {@code dotted}
     * @param marker {@code circle} or {@code square}
     */
    public record Series(String name, List<Point> points, String style, String marker) {
        public Series(String name, List<Point> points) {
            this(name, points, "solid", "circle");
        }
    }

    static final int WIDTH = 880;
    static final int PLOT_LEFT = 90;
    static final int PLOT_RIGHT = 640;
    static final int LEGEND_X = 660;
    /** Error bars may stretch the y axis to this multiple of the highest point, no further. */
    static final double CLIP_FACTOR = 1.5;

    private static final String[] COLORS = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"
    };

    /** The color of the {@code i}-th series. */
    static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    /** Ticks from 0 to at least {@code max}: 4 to 10 steps of 1, 2 or 5 × 10^k. */
    static double[] ticks(double max) {
        if (!(max > 0) || Double.isInfinite(max)) {
            return new double[] {0, 1};
        }
        double raw = max / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        int n = (int) Math.ceil(max / step - 1e-9);
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = i * step;
        }
        return t;
    }

    /** A compact label: 950, 1.5K, 2M, 0.25. */
    static String format(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1e9) {
            return trim(v / 1e9) + "G";
        }
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return trim(v / 1e3) + "K";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        sb.append(' '); // not allowed in XML 1.0
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Splits text at spaces into lines of at most {@code width} chars (a longer word stays whole). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        String rest = text.trim();
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= 0) {
                cut = rest.indexOf(' ', width);
                if (cut < 0) {
                    break;
                }
            }
            lines.add(rest.substring(0, cut));
            rest = rest.substring(cut).trim();
        }
        lines.add(rest);
        return lines;
    }

    /** Renders the chart as a standalone SVG document. */
    public String toSvg() {
        List<String> subtitle = new ArrayList<>();
        for (String line : this.subtitle) {
            subtitle.addAll(wrap(line, 130));
        }
        // The y axis covers the points, and the error bars unless one would squash the points into
        // the bottom third: then bars above the top are clipped and marked with an arrowhead.
        double maxY = 0;
        double maxTop = 0;
        for (Series s : series) {
            for (Point p : s.points()) {
                if (Double.isFinite(p.y())) {
                    maxY = Math.max(maxY, p.y());
                    double top = p.y() + (Double.isFinite(p.error()) ? p.error() : 0);
                    maxTop = Math.max(maxTop, top);
                }
            }
        }
        double max = maxTop <= CLIP_FACTOR * maxY ? maxTop : maxY * 1.1;
        double[] ticks = ticks(max);
        double yMax = ticks[ticks.length - 1];
        int headLines = 1 + subtitle.size();
        int plotTop = 30 + headLines * 18 + 10;
        int plotHeight = 340;
        int plotBottom = plotTop + plotHeight;
        int legendHeight = 12 + series.size() * 20;
        int categoryLines = categories.stream().mapToInt(c -> c.split("\n").length).max().orElse(1);
        int height = Math.max(plotBottom + 60 + 13 * (categoryLines - 1), plotTop + legendHeight) + 10 + footer.size() * 14;
        int plotWidth = PLOT_RIGHT - PLOT_LEFT;
        int nx = Math.max(1, categories.size());
        double slot = (double) plotWidth / nx;

        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n",
                WIDTH, height, WIDTH, height));
        sb.append("<title>").append(esc(title)).append("</title>\n");
        sb.append("<desc>").append(esc(String.join("\n", subtitle))).append("</desc>\n");
        sb.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", WIDTH, height));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" font-size=\"16\" font-weight=\"bold\">%s</text>\n",
                PLOT_LEFT - 70, esc(title)));
        for (int i = 0; i < subtitle.size(); i++) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#444\">%s</text>\n", PLOT_LEFT - 70,
                    28 + 18 * (i + 1), esc(subtitle.get(i))));
        }
        // y grid and ticks
        sb.append("<g class=\"y-axis\">\n");
        for (double t : ticks) {
            double y = plotBottom - t / yMax * plotHeight;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\" stroke=\"%s\" stroke-width=\"1\"/>\n", PLOT_LEFT, num(y),
                    PLOT_RIGHT, num(y), t == 0 ? "#000" : "#e3e3e3"));
            sb.append(String.format(Locale.ROOT,
                    "<text class=\"tick\" x=\"%d\" y=\"%s\" text-anchor=\"end\" data-value=\"%s\">%s</text>\n",
                    PLOT_LEFT - 6, num(y + 4), Double.toString(t), esc(format(t))));
        }
        sb.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">%s</text>\n", 22,
                plotTop + plotHeight / 2, 22, plotTop + plotHeight / 2, esc(yLabel)));
        sb.append("</g>\n");
        // x axis: categories
        sb.append("<g class=\"x-axis\">\n");
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n", PLOT_LEFT,
                plotTop, PLOT_LEFT, plotBottom));
        for (int i = 0; i < categories.size(); i++) {
            double x = PLOT_LEFT + slot * (i + 0.5);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" stroke=\"#000\"/>\n",
                    num(x), plotBottom, num(x), plotBottom + 5));
            String[] lines = categories.get(i).split("\n");
            if (lines.length == 1) {
                sb.append(String.format(Locale.ROOT, "<text class=\"category\" x=\"%s\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                        num(x), plotBottom + 19, esc(lines[0])));
            } else {
                sb.append(String.format(Locale.ROOT, "<text class=\"category\" x=\"%s\" y=\"%d\" text-anchor=\"middle\">", num(x),
                        plotBottom + 19));
                for (int l = 0; l < lines.length; l++) {
                    sb.append(String.format(Locale.ROOT, "<tspan x=\"%s\" dy=\"%d\"%s>%s</tspan>", num(x), l == 0 ? 0 : 13,
                            l == 0 ? "" : " font-size=\"10\"", esc(lines[l])));
                }
                sb.append("</text>\n");
            }
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                (PLOT_LEFT + PLOT_RIGHT) / 2, plotBottom + 40 + 13 * (categoryLines - 1), esc(xLabel)));
        sb.append("</g>\n");
        // series
        // Series are spread a few pixels apart around each category ("dodged") so that their
        // markers and error bars at the same x stay distinguishable.
        double dodgeStep = Math.min(6, slot / (2.0 * Math.max(1, series.size())));
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            String color = color(si);
            double dodge = (si - (series.size() - 1) / 2.0) * dodgeStep;
            sb.append(String.format(Locale.ROOT, "<g class=\"series\" data-name=\"%s\" stroke=\"%s\" fill=\"%s\">\n",
                    esc(s.name()), color, color));
            StringBuilder pts = new StringBuilder();
            List<Point> sorted = new ArrayList<>(s.points());
            sorted.sort((a, b) -> Integer.compare(a.x(), b.x()));
            for (Point p : sorted) {
                if (!Double.isFinite(p.y())) {
                    continue;
                }
                if (pts.length() > 0) {
                    pts.append(' ');
                }
                pts.append(num(PLOT_LEFT + slot * (p.x() + 0.5) + dodge)).append(',').append(num(plotBottom - p.y() / yMax * plotHeight));
            }
            String dash = switch (s.style()) {
                case "dashed" -> " stroke-dasharray=\"7,4\"";
                case "dotted" -> " stroke-dasharray=\"2,3\"";
                default -> "";
            };
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke-width=\"2\"%s points=\"%s\"/>\n", dash, pts));
            for (Point p : sorted) {
                if (!Double.isFinite(p.y())) {
                    continue;
                }
                double x = PLOT_LEFT + slot * (p.x() + 0.5) + dodge;
                double y = plotBottom - p.y() / yMax * plotHeight;
                String data = String.format(Locale.ROOT, "data-x=\"%s\" data-y=\"%s\" data-error=\"%s\"",
                        esc(categories.get(p.x()).replace('\n', ' ')), Double.toString(p.y()), Double.toString(p.error()));
                if (Double.isFinite(p.error()) && p.error() > 0) {
                    double lo = plotBottom - Math.max(0, p.y() - p.error()) / yMax * plotHeight;
                    boolean clipped = p.y() + p.error() > yMax;
                    double hi = plotBottom - Math.min(yMax, p.y() + p.error()) / yMax * plotHeight;
                    String top = clipped
                            ? String.format(Locale.ROOT, "M%s %s L%s %s L%s %s", num(x - 4), num(hi + 7), num(x), num(hi), num(x + 4), num(hi + 7))
                            : String.format(Locale.ROOT, "M%s %s H%s", num(x - 4), num(hi), num(x + 4));
                    sb.append(String.format(Locale.ROOT,
                            "<path class=\"error-bar%s\" stroke-width=\"1.2\" stroke-opacity=\"0.55\" fill=\"none\" d=\"M%s %s V%s M%s %s H%s %s\"/>\n",
                            clipped ? " clipped" : "", num(x), num(lo), num(hi), num(x - 4), num(lo), num(x + 4), top));
                }
                String tip = String.format(Locale.ROOT, "<title>%s, %s: %s%s</title>", esc(s.name()),
                        esc(categories.get(p.x()).replace('\n', ' ')),
                        esc(format(p.y())), Double.isFinite(p.error()) ? " ± " + esc(format(p.error())) : "");
                if (s.marker().equals("square")) {
                    sb.append(String.format(Locale.ROOT, "<rect class=\"point\" x=\"%s\" y=\"%s\" width=\"8\" height=\"8\" %s>%s</rect>\n",
                            num(x - 4), num(y - 4), data, tip));
                } else {
                    sb.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%s\" cy=\"%s\" r=\"4\" %s>%s</circle>\n",
                            num(x), num(y), data, tip));
                }
            }
            sb.append("</g>\n");
        }
        // legend
        sb.append("<g class=\"legend\">\n");
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"white\" stroke=\"#999\"/>\n", LEGEND_X, plotTop,
                WIDTH - LEGEND_X - 10, legendHeight));
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            int y = plotTop + 20 + si * 20;
            String dash = s.style().equals("dashed") ? " stroke-dasharray=\"7,4\"" : s.style().equals("dotted") ? " stroke-dasharray=\"2,3\"" : "";
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", LEGEND_X + 8, y - 4,
                    LEGEND_X + 36, y - 4, color(si), dash));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>\n", LEGEND_X + 42, y, esc(s.name())));
        }
        sb.append("</g>\n");
        for (int i = 0; i < footer.size(); i++) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"#666\">%s</text>\n",
                    PLOT_LEFT - 70, height - 8 - (footer.size() - 1 - i) * 14, esc(footer.get(i))));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }
}
