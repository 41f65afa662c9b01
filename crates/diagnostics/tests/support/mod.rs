#![allow(dead_code)]

pub mod capture;
