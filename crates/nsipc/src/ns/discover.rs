//! Finding namespaces: from processes, their open file descriptors and
//! sockets, and nsfs bind mounts; parents and owners through NS_GET_* ioctls.
