//! Entering existing namespaces: setns by file or by pidfd, in the kernel's
//! required order, with the credential rules of nsenter.
