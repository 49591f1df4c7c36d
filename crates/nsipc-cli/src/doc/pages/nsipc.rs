use super::Page;

pub static PAGE: Page = Page {
    summary: "Linux namespace and IPC tools in one binary",
    description: "\
nsipc is one binary for seven tools, compatible with util-linux: unshare, nsenter, lsns, \
ipcs, ipcmk, ipcrm and lsipc. Called through a link named after a tool (ipcs -> nsipc), \
it runs that tool; nsipc TOOL ARGS... does the same. Each tool has its own man page.

nsipc also installs itself (--install), and prints the man pages (--man) and the bash, \
zsh and fish completions (--completion) of the tools. All of them are generated from the \
same option table that parses each tool's command line, so they always match the \
binary.",
    ipc_namespace: false,
    epilog: true,
    columns: "",
    exit_status: "\
The exit status of the tool run; for nsipc's own options 0 on success and 1 on an error.",
    environment: "",
    examples: "\
After cargo install --path crates/nsipc-cli, install the tool links next to the binary, \
and the man pages and completions for your user:

    $ nsipc --install ~/.cargo/bin --prefix ~/.local

For a system-wide installation (the binary is copied into /usr/local/bin):

    # nsipc --install /usr/local/bin --prefix /usr/local

Read a page without installing it:

    $ nsipc --man lsipc | man -l -

Try a completion in the running bash:

    $ source <(nsipc --completion bash lsns)",
    notes: "\
The tool links are relative symbolic links to nsipc in the same directory, the \
convention of multi-call binaries. bash-completion reads \
<prefix>/share/bash-completion/completions for /usr and /usr/local (and \
~/.local/share/bash-completion/completions); fish reads vendor_completions.d under \
each of its data directories; zsh reads site-functions or vendor-completions \
directories on its $fpath.",
    see_also: &[
        "unshare(1)",
        "nsenter(1)",
        "lsns(1)",
        "ipcs(1)",
        "ipcmk(1)",
        "ipcrm(1)",
        "lsipc(1)",
    ],
};
