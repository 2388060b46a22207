//! SVG charts for the HTML report, drawn with plotters' SVG backend (no fonts needed: text is
//! left to the browser, so Chinese labels render with the reader's system fonts).

use plotters::prelude::*;

const BLUE: RGBColor = RGBColor(0x1f, 0x5f, 0x99);
const GREY: RGBColor = RGBColor(0x88, 0x88, 0x88);

/// A horizontal bar chart, one bar per label.
pub fn bars(title: &str, labels: &[String], values: &[f64], width: u32) -> String {
    if !can_measure_text() {
        return placeholder(title);
    }
    let height = 70 + 26 * labels.len().max(1) as u32;
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let max = values.iter().copied().fold(0.0f64, f64::max).max(1e-9) * 1.15;
        let n = labels.len().max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(28)
            .y_label_area_size(190)
            .build_cartesian_2d(0f64..max, (0..n).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|v| compact(*v))
            .draw()?;
        // One histogram per bar: a histogram keeps its buckets in a hash map, so drawing all
        // bars in one would write them in a different order on every run.
        for (i, v) in values.iter().enumerate() {
            chart.draw_series(
                Histogram::horizontal(&chart)
                    .style(BLUE.filled())
                    .margin(4)
                    .data(std::iter::once((i, *v))),
            )?;
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
            .y_label_formatter(&|v| compact(*v))
            .draw()?;
        for (k, (name, values)) in series.iter().enumerate() {
            let color = if k == 0 { BLUE } else { GREY };
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

/// Axis numbers: `1.50`, `12.3`, `4.5k`, `1.2M`.
fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
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
        let labels: Vec<String> = (0..12).map(|i| format!("第{i}项")).collect();
        let values: Vec<f64> = (0..12).map(|i| f64::from(i) * 1.5).collect();
        let first = bars("t", &labels, &values, 600);
        for _ in 0..5 {
            assert_eq!(bars("t", &labels, &values, 600), first);
        }
    }
}
