fn main() {
    println!("claimwright");
}
