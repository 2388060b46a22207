//! Review findings written as JSON with each rule's texts serialised once. A draft flags the
//! same few rules thousands of times, and escaping their messages, citations and remedies
//! again for every finding was the largest part of writing a review (`jianfu review --format
//! json`). The bytes are those `serde_json` writes for each finding.

use std::marker::PhantomData;

use serde::Serialize;

use super::review::ReviewFinding;

/// Writes review findings as JSON, remembering the JSON of each rule text it has written.
/// It lives no longer than the engine the findings borrow from (`'e`), so a text's address
/// names that text for as long as the writer is used.
#[derive(Debug, Default)]
pub struct FindingsJson<'e> {
    /// ((field, address of the text), its JSON): a few dozen, searched in order.
    texts: Vec<((u8, usize), Box<str>)>,
    engine: PhantomData<&'e ()>,
}

impl<'e> FindingsJson<'e> {
    /// A writer with nothing remembered yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends `finding` as JSON to `out`: the bytes `serde_json::to_writer` would write.
    ///
    /// ```
    /// let engine = jianfu::Engine::embedded()?;
    /// let as_of = jianfu::parse_date("2026-03-02")?;
    /// let review = engine.review("各校要组织教师下载“安全教育平台”APP。", as_of);
    /// let mut json = jianfu::FindingsJson::new();
    /// let mut out = Vec::new();
    /// json.write(&mut out, &review.findings[0]).unwrap();
    /// assert_eq!(out, serde_json::to_vec(&review.findings[0]).unwrap());
    /// # Ok::<(), jianfu::Error>(())
    /// ```
    pub fn write(
        &mut self,
        out: &mut Vec<u8>,
        finding: &ReviewFinding<'e>,
    ) -> serde_json::Result<()> {
        // The field order and names of `ReviewFinding`'s derived `Serialize`.
        out.extend_from_slice(b"{\"rule\":");
        serde_json::to_writer(&mut *out, finding.rule)?;
        out.extend_from_slice(b",\"decision\":");
        serde_json::to_writer(&mut *out, &finding.decision)?;
        out.extend_from_slice(b",\"message\":");
        self.remembered(out, 0, finding.message)?;
        out.extend_from_slice(b",\"citation\":");
        self.remembered(out, 1, finding.citation)?;
        if let Some(clause) = &finding.clause {
            out.extend_from_slice(b",\"clause\":");
            serde_json::to_writer(&mut *out, clause)?;
        }
        out.extend_from_slice(b",\"evidence\":");
        serde_json::to_writer(&mut *out, &finding.evidence)?;
        out.extend_from_slice(b",\"remedy\":");
        self.remembered(out, 2, finding.remedy)?;
        out.push(b'}');
        Ok(())
    }

    /// A rule text's JSON, made the first time the text is seen.
    fn remembered<T: Serialize>(
        &mut self,
        out: &mut Vec<u8>,
        field: u8,
        text: &'e T,
    ) -> serde_json::Result<()> {
        let key = (field, std::ptr::from_ref(text).addr());
        if let Some((_, json)) = self.texts.iter().find(|(k, _)| *k == key) {
            out.extend_from_slice(json.as_bytes());
            return Ok(());
        }
        let json = serde_json::to_string(text)?;
        out.extend_from_slice(json.as_bytes());
        self.texts.push((key, json.into_boxed_str()));
        Ok(())
    }
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "test harness")]
mod tests {
    use super::FindingsJson;
    use crate::{Engine, parse_date};

    /// Every finding of the example drafts, a long draft's whole-document finding (no clause)
    /// among them, is written byte for byte as serde_json writes it, texts remembered or not.
    #[test]
    fn findings_are_written_as_serde_json_writes_them() {
        let engine = Engine::embedded().unwrap();
        let as_of = parse_date("2026-03-02").unwrap();
        let draft = [
            include_str!("../../examples/drafts/draft-notice.txt"),
            include_str!("../../examples/drafts/county-notice.txt"),
        ]
        .concat()
        .repeat(20);
        let review = engine.review(&draft, as_of);
        assert!(review.findings.iter().any(|f| f.clause.is_none()));
        let mut json = FindingsJson::new();
        for finding in &review.findings {
            let mut out = Vec::new();
            json.write(&mut out, finding).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(finding).unwrap()
            );
        }
    }
}
