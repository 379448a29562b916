//! Unit tests of the 835 reader: denials, quantities, where interchanges are cut, and notes.

use super::envelope::interchanges;
use super::*;

fn adjustment(group: &str, reason: &str, cents: i64) -> Adjustment {
    Adjustment {
        group: group.into(),
        reason: reason.into(),
        amount: Money(cents),
        quantity: None,
    }
}

#[test]
fn denials_are_what_the_practice_can_act_on() {
    let paid = Money(5000);
    let nothing = Money::ZERO;
    // The contract write-off and the patient's share are never denials.
    for (group, reason) in [("CO", "45"), ("PR", "1"), ("PR", "2"), ("PR", "3")] {
        assert!(
            !is_denial(&adjustment(group, reason, 1000), nothing),
            "{group}-{reason}"
        );
    }
    // Appeal (29), corrected claim (16), another payer (26).
    for reason in ["29", "16", "26"] {
        assert!(
            is_denial(&adjustment("CO", reason, 1000), paid),
            "CO-{reason}"
        );
    }
    // A reason the table does not know is a denial only when nothing was paid.
    assert!(is_denial(&adjustment("OA", "A7", 1000), nothing));
    assert!(!is_denial(&adjustment("CO", "A2", 1000), paid));
    // What the payer gives back is not taken away.
    assert!(!is_denial(&adjustment("OA", "94", -900), nothing));
    assert!(!is_denial(&adjustment("CO", "29", -1000), nothing));
}

#[test]
fn quantities_are_exact() {
    let q = |text: &str| Quantity::parse(text).map(|q| q.to_string());
    assert_eq!(q("1.00").as_deref(), Some("1"));
    assert_eq!(q(".5").as_deref(), Some("0.5"));
    assert_eq!(q("-2.125").as_deref(), Some("-2.125"));
    assert_eq!(q("1.2345"), None);
    assert_eq!(Quantity::parse("234").and_then(Quantity::whole), Some(234));
    assert_eq!(Quantity::parse("1.5").and_then(Quantity::whole), None);
}

#[test]
fn interchanges_are_cut_only_where_an_isa_starts_a_segment() {
    let isa = "ISA*00*          *00*          *ZZ*PAYER          *ZZ*PRACTICE       *261215*0900*^*00501*000000001*0*P*:~";
    let other = isa.replace(":~", ">!");
    let text = format!("{isa}NM1*QC*1*MONALISA*ISA~IEA*0*000000001~\r\n{other}GS*HP!IEA*0*1!");
    let chunks = interchanges(&text);
    assert_eq!(chunks.len(), 2);
    assert!(chunks[0].ends_with("IEA*0*000000001~\r\n"));
    assert!(chunks[1].starts_with("ISA") && chunks[1].ends_with("IEA*0*1!"));
    assert_eq!(interchanges("ST*835*1~SE*1*1~"), ["ST*835*1~SE*1*1~"]);
}

#[test]
fn whitespace_after_terminators_is_not_part_of_a_segment() {
    let text = "ST*835*1~ \n\tBPR*I*10*C*CHK~  TRN*1*T1*1999~ CLP*A*1*10*10~  SE*5*1~";
    let read = read_835(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let payment = &read.remittances[0];
    assert_eq!(
        (payment.amount, payment.trace.as_str()),
        (Money(1000), "T1")
    );
    assert_eq!(payment.claims[0].paid, Money(1000));
    let kinds: Vec<NoteKind> = read.notes.iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NoteKind::Envelope], "only the missing envelope");
}

#[test]
fn note_codes_name_their_kind() {
    for kind in [NoteKind::Envelope, NoteKind::Unbalanced] {
        let note = Note {
            kind,
            message: String::new(),
        };
        assert_eq!(note.finding("a.835").code, note.code());
    }
}
