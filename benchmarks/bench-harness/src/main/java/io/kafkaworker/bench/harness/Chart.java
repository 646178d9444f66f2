package io.kafkaworker.bench.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/**
 * Draws the results as a PNG with plain Java2D: one panel per scenario, one horizontal
 * bar per contender, its length the contender's rate as a fraction of the scenario's
 * limit, so that every panel shares one scale. Bars of contenders that did not finish are
 * pale and labelled DNF; failed ones are labelled in red with no bar.
 */
final class Chart {

	private static final int WIDTH = 1200;

	private static final int ROW = 22;

	private static final int LABEL_WIDTH = 170;

	private static final int PANEL_HEADER = 48;

	private static final Map<String, Color> FAMILY_COLORS = Map.of("raw", new Color(0x7f7f7f), "spring-kafka",
			new Color(0x2ca02c), "parallel-consumer", new Color(0xff7f0e), "kafka-worker", new Color(0x1f77b4), "kafka-streams", new Color(0x9467bd));

	private Chart() {
	}

	static void draw(Report report, Path file, String subtitle) throws IOException {
		Map<Scenario, List<Outcome>> outcomes = report.outcomes();
		int height = 60;
		for (List<Outcome> scenarioOutcomes : outcomes.values()) {
			height += PANEL_HEADER + ROW * scenarioOutcomes.size() + 24;
		}
		height += 30;
		BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, WIDTH, height);
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
		g.drawString("kafka-worker benchmarks: rate as a fraction of each scenario's limit, one run " + subtitle, 16,
				28);
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		g.drawString("Bar = rate / limit (limit = min(concurrency / work time, zero-work raw consumer rate)); "
				+ "pale = DNF (rate when stopped); P3 = rate of the non-hot keys; P4 = rate of the partitions that do not fail.",
				16, 46);
		int y = 60;
		int barLeft = LABEL_WIDTH + 16;
		int barMaxWidth = WIDTH - barLeft - 260;
		for (Map.Entry<Scenario, List<Outcome>> entry : outcomes.entrySet()) {
			Scenario scenario = entry.getKey();
			double limit = report.limit(scenario);
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
			g.drawString(scenario.id() + " " + scenario.title(), 16, y + 18);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
			g.drawString(scenario.describe() + String.format("; limit %,.0f/s", limit), 16, y + 34);
			int top = y + PANEL_HEADER - 6;
			int rows = entry.getValue().size();
			double scale = 1.0;
			for (Outcome outcome : entry.getValue()) {
				if (limit > 0) {
					scale = Math.max(scale, outcome.rate() / limit);
				}
			}
			scale = Math.min(scale, 1.5);
			int limitX = barLeft + (int) (barMaxWidth / scale);
			g.setColor(new Color(0xdddddd));
			for (double tick = 0.25; tick <= scale + 1e-9; tick += 0.25) {
				int x = barLeft + (int) (barMaxWidth * tick / scale);
				g.drawLine(x, top, x, top + rows * ROW);
			}
			int row = 0;
			for (Outcome outcome : entry.getValue()) {
				int rowY = top + row * ROW;
				g.setColor(Color.BLACK);
				g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
				g.drawString(outcome.contender().id(), 16, rowY + 15);
				Color color = FAMILY_COLORS.getOrDefault(outcome.contender().family(), Color.DARK_GRAY);
				boolean failed = !outcome.completed() && !Outcome.DNF.equals(outcome.status());
				if (!failed && limit > 0) {
					double fraction = Math.min(outcome.rate() / limit, scale);
					int width = Math.max(1, (int) (barMaxWidth * fraction / scale));
					g.setColor(outcome.completed() ? color : blend(color, Color.WHITE, 0.65));
					g.fillRect(barLeft, rowY + 3, width, ROW - 6);
					g.setColor(Color.BLACK);
					String label = outcome.rateText()
							+ (outcome.completed() ? String.format("  (%.2f x limit)", outcome.rate() / limit) : "");
					g.drawString(label, barLeft + width + 6, rowY + 15);
				}
				else {
					g.setColor(new Color(0xc00000));
					g.drawString(outcome.rateText(), barLeft + 6, rowY + 15);
				}
				row++;
			}
			g.setColor(Color.RED);
			g.setStroke(
					new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] { 5, 4 }, 0));
			g.drawLine(limitX, top - 4, limitX, top + rows * ROW + 2);
			g.setStroke(new BasicStroke(1f));
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
			FontMetrics metrics = g.getFontMetrics();
			String limitLabel = "limit";
			g.drawString(limitLabel, limitX - metrics.stringWidth(limitLabel) / 2, top + rows * ROW + 14);
			y = top + rows * ROW + 24;
		}
		int legendX = 16;
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		for (String family : List.of("raw", "spring-kafka", "parallel-consumer", "kafka-worker", "kafka-streams")) {
			g.setColor(FAMILY_COLORS.get(family));
			g.fillRect(legendX, y + 4, 14, 14);
			g.setColor(Color.BLACK);
			g.drawString(family, legendX + 20, y + 16);
			legendX += 40 + g.getFontMetrics().stringWidth(family);
		}
		g.dispose();
		ImageIO.write(image, "png", file.toFile());
	}

	private static Color blend(Color a, Color b, double weightOfB) {
		return new Color((int) (a.getRed() * (1 - weightOfB) + b.getRed() * weightOfB),
				(int) (a.getGreen() * (1 - weightOfB) + b.getGreen() * weightOfB),
				(int) (a.getBlue() * (1 - weightOfB) + b.getBlue() * weightOfB));
	}

}
