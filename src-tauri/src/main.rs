fn main() -> std::process::ExitCode {
    chamado::main()
}
