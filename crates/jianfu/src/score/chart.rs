//! SVG charts for the HTML report, drawn with plotters' SVG backend (no fonts needed: text is
//! left to the browser, so Chinese labels render with the reader's system fonts).

use plotters::prelude::*;

use super::thousands;

// Okabe–Ito colours: told apart by readers with any common colour-vision deficiency.
const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xb2);
const GREY: RGBColor = RGBColor(0x88, 0x88, 0x88);
const ORANGE: RGBColor = RGBColor(0xe6, 0x9f, 0x00);
const VERMILLION: RGBColor = RGBColor(0xd5, 0x5e, 0x00);
const PURPLE: RGBColor = RGBColor(0xcc, 0x79, 0xa7);

/// A horizontal bar chart, largest bar on top, each bar labelled with its value; `lines` are
/// reference lines (band lines: 预警线 …) drawn across the bars, with a legend.
pub fn bars(title: &str, entries: &[(String, f64)], width: u32, lines: &[(String, f64)]) -> String {
    if !can_measure_text() {
        return placeholder(title);
    }
    let mut entries = entries.to_vec();
    entries.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let n = entries.len().max(1);
    let height = 80 + 26 * n as u32;
    let top = entries.iter().map(|e| e.1).fold(0.0f64, f64::max);
    // Lines far beyond the bars would squash them; those are left out.
    let lines: Vec<&(String, f64)> = lines
        .iter()
        .filter(|(_, v)| v.is_finite() && *v > 0.0 && *v <= top.max(1e-9) * 2.0)
        .collect();
    let max = lines.iter().map(|l| l.1).fold(top, f64::max).max(1e-9) * 1.2;
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(190)
            .build_cartesian_2d(0f64..max, (0..n).into_segmented())?;
        // Segment 0 is drawn at the bottom: the largest bar takes the last one.
        let row = |rank: usize| n.saturating_sub(1 + rank);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => n
                    .checked_sub(1 + *i)
                    .and_then(|rank| entries.get(rank))
                    .map(|e| e.0.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|v| thousands(*v, if max >= 100.0 { 0 } else { 1 }))
            .draw()?;
        // One histogram per bar: a histogram keeps its buckets in a hash map, so drawing all
        // bars in one would write them in a different order on every run.
        for (rank, (_, v)) in entries.iter().enumerate() {
            chart.draw_series(
                Histogram::horizontal(&chart)
                    .style(BLUE.filled())
                    .margin(4)
                    .data(std::iter::once((row(rank), *v))),
            )?;
            chart.draw_series(std::iter::once(Text::new(
                format!(" {}", thousands(*v, 2)),
                (*v, SegmentValue::CenterOf(row(rank))),
                ("sans-serif", 12),
            )))?;
        }
        for (k, (name, v)) in lines.iter().enumerate() {
            let color = [ORANGE, VERMILLION, PURPLE].get(k).copied().unwrap_or(GREY);
            chart
                .draw_series(LineSeries::new(
                    [(*v, SegmentValue::Exact(0)), (*v, SegmentValue::Last)],
                    color.stroke_width(2),
                ))?
                .label(format!("{name} {}", thousands(*v, 2)))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2))
                });
        }
        if !lines.is_empty() {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::LowerRight)
                .background_style(WHITE)
                .border_style(GREY)
                .draw()?;
        }
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() {
        return placeholder(title);
    }
    svg
}

/// A line chart of one or two series over labelled points.
pub fn lines(title: &str, labels: &[String], series: &[(&str, Vec<f64>)], width: u32) -> String {
    if !can_measure_text() {
        return placeholder(title);
    }
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, (width, 300)).into_drawing_area();
        root.fill(&WHITE)?;
        let root = root.margin(0, 0, 0, 40);
        let max = series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .fold(0.0f64, f64::max)
            .max(1e-9)
            * 1.15;
        let n = labels.len().max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(50)
            .build_cartesian_2d(0..n.saturating_sub(1).max(1), 0f64..max)?;
        chart
            .configure_mesh()
            .x_labels(n)
            .x_label_formatter(&|i| labels.get(*i).cloned().unwrap_or_default())
            .y_label_formatter(&|v| thousands(*v, if max >= 100.0 { 0 } else { 1 }))
            .draw()?;
        for (k, (name, values)) in series.iter().enumerate() {
            let color = if k == 0 { BLUE } else { VERMILLION };
            chart
                .draw_series(LineSeries::new(
                    values.iter().enumerate().map(|(i, v)| (i, *v)),
                    color.stroke_width(2),
                ))?
                .label(*name)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2))
                });
            chart.draw_series(
                values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Circle::new((i, *v), 3, color.filled())),
            )?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE)
            .border_style(GREY)
            .draw()?;
        root.present()?;
        Ok(())
    })();
    if drawn.is_err() {
        return placeholder(title);
    }
    svg
}

/// Whether plotters can measure text here. On wasm32 it measures text through the page's DOM
/// and panics (a trap, with no unwinding) where there is none: Node.js, a web worker. Natively
/// it needs nothing.
fn can_measure_text() -> bool {
    #[cfg(all(target_arch = "wasm32", not(target_os = "wasi")))]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
            .is_some()
    }
    #[cfg(not(all(target_arch = "wasm32", not(target_os = "wasi"))))]
    {
        true
    }
}

fn placeholder(title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"40\"><text x=\"8\" y=\"24\">{}（图表无法绘制 chart unavailable）</text></svg>",
        super::html::escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_chart_is_the_same_bytes() {
        let entries: Vec<(String, f64)> = (0..12)
            .map(|i| (format!("第{i}项"), f64::from(i) * 1.5))
            .collect();
        let lines = [("预警线 warning".to_string(), 9.0)];
        let first = bars("t", &entries, 600, &lines);
        for _ in 0..5 {
            assert_eq!(bars("t", &entries, 600, &lines), first);
        }
        assert!(
            first.contains("16.50") && first.contains("预警线 warning 9.00"),
            "{first}"
        );
    }

    #[test]
    fn numbers_read_with_thousands_separators() {
        assert_eq!(thousands(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(100_000.0, 0), "100,000");
        assert_eq!(thousands(-1234.5, 1), "-1,234.5");
        assert_eq!(thousands(-0.001, 2), "0.00");
    }
}
