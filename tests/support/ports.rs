//! A local port where connections are refused, held for as long as a test
//! needs it.

use std::net::SocketAddr;

use socket2::{Domain, Socket, Type};

/// A TCP port on 127.0.0.1 bound but never listened on: every connection
/// to it is refused, and no other process can bind it while this lives (a
/// port freed and "assumed to stay closed" can be taken by anyone).
pub struct RefusingPort {
    _socket: Socket,
    pub address: SocketAddr,
}

impl RefusingPort {
    pub fn new() -> Self {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a socket");
        socket
            .bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())
            .expect("bind 127.0.0.1:0");
        let address = socket
            .local_addr()
            .expect("bound address")
            .as_socket()
            .expect("an IP address");
        RefusingPort {
            _socket: socket,
            address,
        }
    }
}
