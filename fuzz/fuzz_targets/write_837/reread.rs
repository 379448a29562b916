//! A written 837P read back on its own terms, apart from the writer's self-check: what any
//! receiver needs of the file whatever the claims held.

use claimwright::codes::npi;
use claimwright::documents::claim::Claim;
use claimwright::model::Money;
use claimwright::x12::{self, Delimiters, Segment};

/// `Err` with what is wrong with `bytes`, the file written for `claims`.
pub fn check(bytes: &[u8], claims: &[&Claim]) -> Result<(), String> {
    if let Some(b) = bytes
        .iter()
        .find(|&&b| !(b' '..=b'~').contains(&b) && b != b'\n')
    {
        return Err(format!("holds the byte {b:#04x}"));
    }
    let segments = match x12::read(bytes) {
        Ok((d, segments)) if d == Delimiters::STANDARD => segments,
        Ok((d, _)) => return Err(format!("declares the delimiters {d:?}")),
        Err(e) => return Err(format!("does not read back: {e}")),
    };
    let isa = bytes.split(|&b| b == b'~').next().unwrap_or_default();
    if isa.len() != 105 {
        return Err(format!("has an ISA of {} characters", isa.len() + 1));
    }
    envelope(&segments)?;
    let clm = segments.iter().filter(|s| s.id == "CLM").count();
    if clm != claims.len() {
        return Err(format!("holds {clm} claims of {}", claims.len()));
    }
    for (n, s) in segments.iter().enumerate().skip(1) {
        if s.trimmed() != *s {
            return Err(format!(
                "ends segment {} ({}) with an empty element",
                n + 1,
                s.id
            ));
        }
        if s.id == "NM1"
            && s.get(8) == "XX"
            && let Err(e) = npi::check(s.get(9))
        {
            return Err(format!("names the NPI {:?}: {e}", s.get(9)));
        }
    }
    for claim in segments.split(|s| s.id == "HL").flat_map(claims_of) {
        lines(claim)?;
    }
    Ok(())
}

/// The envelope: ISA first and IEA last, HL numbered from 1, and the counts that close it.
fn envelope(segments: &[Segment]) -> Result<(), String> {
    let ids: Vec<&str> = segments.iter().map(|s| s.id.as_str()).collect();
    let count = |id: &str| ids.iter().filter(|&&i| i == id).count().to_string();
    if ids.first() != Some(&"ISA") || ids.last() != Some(&"IEA") {
        return Err("does not run from ISA to IEA".into());
    }
    let st = ids.iter().position(|&i| i == "ST").ok_or("has no ST")?;
    let se = ids.iter().position(|&i| i == "SE").ok_or("has no SE")?;
    if segments[se].get(1) != (se + 1).saturating_sub(st).to_string() {
        return Err(format!("counts {} segments in SE01", segments[se].get(1)));
    }
    let by_id = |id: &str| segments.iter().find(|s| s.id == id);
    if by_id("GE").map(|s| s.get(1)) != Some(&count("ST"))
        || by_id("IEA").map(|s| s.get(1)) != Some(&count("GS"))
    {
        return Err("miscounts in GE01 or IEA01".into());
    }
    for (n, hl) in segments.iter().filter(|s| s.id == "HL").enumerate() {
        if hl.get(1) != (n + 1).to_string() {
            return Err(format!("numbers HL {} where {} was due", hl.get(1), n + 1));
        }
    }
    Ok(())
}

/// The claims of one HL level, each from its CLM to the next.
fn claims_of(level: &[Segment]) -> Vec<&[Segment]> {
    let starts: Vec<usize> = (0..level.len()).filter(|&n| level[n].id == "CLM").collect();
    starts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(level.len());
            &level[start..end]
        })
        .collect()
}

/// One claim's lines: numbered from 1, charges that add up to CLM02, pointers that name a
/// diagnosis of its HI.
fn lines(claim: &[Segment]) -> Result<(), String> {
    let id = claim[0].get(1);
    let total = amount(claim[0].get(2)).ok_or_else(|| format!("claim {id}: CLM02"))?;
    let diagnoses = claim
        .iter()
        .find(|s| s.id == "HI")
        .map_or(0, |s| s.elements.len());
    if diagnoses == 0 || diagnoses > 12 {
        return Err(format!("claim {id}: {diagnoses} diagnoses"));
    }
    let mut sum = 0i64;
    let mut lx = 0;
    for s in claim {
        match s.id.as_str() {
            "LX" => {
                lx += 1;
                if s.get(1) != lx.to_string() {
                    return Err(format!("claim {id}: LX {} where {lx} was due", s.get(1)));
                }
            }
            "SV1" => {
                let charge = amount(s.get(2)).ok_or_else(|| format!("claim {id}: SV102"))?;
                sum = sum
                    .checked_add(charge.cents())
                    .ok_or_else(|| format!("claim {id}: charges past any amount"))?;
                let pointers = s.element(7).map(|e| e.0.clone()).unwrap_or_default();
                if pointers.is_empty()
                    || pointers.len() > 4
                    || pointers
                        .iter()
                        .any(|p| p.parse::<usize>().map_or(true, |n| n == 0 || n > diagnoses))
                {
                    return Err(format!("claim {id}: line {lx} points at {pointers:?}"));
                }
            }
            _ => {}
        }
    }
    if lx == 0 || lx > 50 {
        return Err(format!("claim {id}: {lx} lines"));
    }
    if sum != total.cents() {
        return Err(format!(
            "claim {id}: CLM02 {total:?} is not its lines' {sum}"
        ));
    }
    Ok(())
}

/// An X12 amount that is no less than zero, written as the writer writes amounts.
fn amount(text: &str) -> Option<Money> {
    x12::read_amount(text).filter(|m| m.cents() >= 0 && x12::amount(*m) == text)
}
