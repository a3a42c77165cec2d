fn main() {
    std::process::exit(dpc::main_exit_code());
}
