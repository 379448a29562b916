//! Code knowledge embedded in the binary: ICD-10-CM editions, procedure codes, NCCI pairs,
//! modifiers, NPIs, tax ids, places of service and what each provider taxonomy may bill.

pub mod carc;
pub mod icd10;
pub mod modifiers;
pub mod ncci;
pub mod npi;
pub mod place_of_service;
pub mod procedures;
pub mod table;
pub mod tax_id;
pub mod taxonomy;
