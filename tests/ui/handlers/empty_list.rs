dlpar_script::main! {
    vendor: "Acme",
    info: "Acme handles nothing",
    version: 1,
    date: "22112026",
    usage: { cpu: "Acme threads" },
    handlers: [],
}
