//! Typed records, one file per YAML file kind, and the checked in-memory practice.

pub mod common;
pub mod denial;
pub mod ledger;
pub mod patient;
pub mod payer;
pub mod payment;
pub mod practice;
pub mod remittance;
pub mod session;

pub use common::{Address, ClockTime, Code, Money, Rate};
pub use denial::{Adjustment, Denial, GroupCode};
pub use ledger::{ClaimRecord, Frequency, LedgerLine, LedgerStatus, Medium};
pub use patient::{Authorization, Benefits, Coverage, Patient, Referral, Subscriber};
pub use payer::{Payer, PayerKind, UnitRule};
pub use payment::{Paid, Payment};
pub use practice::{Practice, Provider};
pub use remittance::RemittanceRecord;
pub use session::{Service, Session};
