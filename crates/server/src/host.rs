//! Which `Host` a request may name: the defence against DNS rebinding.
//!
//! A web page on `evil.example` can rebind its name to this computer's address and then read whatever the server
//! answers, as far as the browser is concerned from its own origin. What it cannot change is the `Host` header,
//! which still says `evil.example`. So the server answers only requests addressed to a name of this computer,
//! wherever it is bound: the loopback names (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`), the address it is
//! bound to, the machine's host name (and `NAME.local`, its mDNS name), every address of its network interfaces when
//! it is bound to all of them (`0.0.0.0`, `[::]`), and the names the operator adds (`--allow-host`). The port is not
//! compared: a rebinding page cannot choose the name, whatever the port.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};

/// The names a server answers to.
#[derive(Debug, Clone)]
pub struct HostCheck {
    /// Normalised names (see [`host_name`]) besides the loopback ones, which are always allowed.
    names: BTreeSet<String>,
    /// Bound to every interface: an address that an interface gained after start-up is also this machine's.
    all_interfaces: bool,
}

impl HostCheck {
    /// The names of this machine as seen from `addr`, plus `extra` names given by the operator.
    pub fn new(addr: SocketAddr, extra: &[String]) -> HostCheck {
        let mut names: BTreeSet<String> = extra.iter().filter_map(|name| host_name(name)).collect();
        let all_interfaces = addr.ip().is_unspecified();
        if all_interfaces {
            names.extend(interface_addresses().iter().map(IpAddr::to_string));
        } else {
            names.insert(addr.ip().to_string());
        }
        if let Some(machine) = machine_name() {
            names.insert(format!("{machine}.local"));
            names.insert(machine);
        }
        HostCheck { names, all_interfaces }
    }

    /// Whether a request whose `Host` header is `host` is for this server.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(name) = host.and_then(host_name) else { return false };
        if is_loopback_name(&name) || self.names.contains(&name) {
            return true;
        }
        // An address literal that is not in the list may be one an interface gained since start-up (DHCP, a VPN).
        self.all_interfaces && name.parse::<IpAddr>().is_ok_and(|ip| interface_addresses().contains(&ip.to_canonical()))
    }
}

/// The name of a `Host` header or an `--allow-host` value, without port, brackets or trailing dot, lower case:
/// `Dossier.Example.:8080` → `dossier.example`, `[::1]:8080` → `::1`. `None` when nothing is left.
pub fn host_name(host: &str) -> Option<String> {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        match host.rsplit_once(':') {
            // One colon and digits after it: a port. More colons: an IPv6 address without brackets.
            Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        }
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    // Addresses in their canonical spelling, so that `[0:0::1]` and `::1` compare equal.
    Some(name.parse::<IpAddr>().map_or(name, |ip| ip.to_canonical().to_string()))
}

/// `localhost`, `*.localhost` (RFC 6761 keeps them on this machine) and loopback addresses.
fn is_loopback_name(name: &str) -> bool {
    name == "localhost" || name.ends_with(".localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// This machine's host name, lower case, if it has one.
fn machine_name() -> Option<String> {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at most that many bytes.
    let result = unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
    if result != 0 {
        return None;
    }
    let end = buffer.iter().position(|&b| b == 0).unwrap_or(buffer.len());
    let name = std::str::from_utf8(&buffer[..end]).ok()?;
    host_name(name).filter(|name| name != "localhost")
}

/// Every address of this machine's network interfaces (IPv4 and IPv6), canonical.
fn interface_addresses() -> BTreeSet<IpAddr> {
    let mut addresses = BTreeSet::new();
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `list` with a linked list that we walk read-only and free once with freeifaddrs.
    unsafe {
        if libc::getifaddrs(&mut list) != 0 {
            return addresses;
        }
        let mut entry = list;
        while !entry.is_null() {
            let address = (*entry).ifa_addr;
            if !address.is_null() {
                match i32::from((*address).sa_family) {
                    libc::AF_INET => {
                        let v4 = &*address.cast::<libc::sockaddr_in>();
                        // `s_addr` holds the address in network order, as it lies in memory.
                        addresses.insert(IpAddr::from(v4.sin_addr.s_addr.to_ne_bytes()));
                    }
                    libc::AF_INET6 => {
                        let v6 = &*address.cast::<libc::sockaddr_in6>();
                        addresses.insert(IpAddr::from(v6.sin6_addr.s6_addr).to_canonical());
                    }
                    _ => {}
                }
            }
            entry = (*entry).ifa_next;
        }
        libc::freeifaddrs(list);
    }
    addresses
}

#[cfg(test)]
mod tests {
    use super::{HostCheck, host_name, interface_addresses, machine_name};

    #[test]
    fn host_headers_are_reduced_to_their_name() {
        assert_eq!(host_name("Dossier.Example.:8080").as_deref(), Some("dossier.example"));
        assert_eq!(host_name("[::1]:8080").as_deref(), Some("::1"));
        assert_eq!(host_name("[0:0::1]").as_deref(), Some("::1"));
        assert_eq!(host_name("fe80::1").as_deref(), Some("fe80::1"));
        assert_eq!(host_name("10.0.0.1:80").as_deref(), Some("10.0.0.1"));
        assert_eq!(host_name(":8080"), None);
        assert_eq!(host_name(""), None);
    }

    #[test]
    fn loopback_names_answer_wherever_the_server_is_bound() {
        for addr in ["127.0.0.1:8080", "0.0.0.0:8080", "[::]:8080", "192.0.2.7:8080"] {
            let check = HostCheck::new(addr.parse().expect("address"), &[]);
            for host in ["localhost", "localhost:8080", "127.0.0.1:8080", "127.1.2.3", "[::1]:8080", "LOCALHOST."] {
                assert!(check.allows(Some(host)), "{addr}: {host}");
            }
            for host in ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example"] {
                assert!(!check.allows(Some(host)), "{addr}: {host}");
            }
            assert!(!check.allows(None) && !check.allows(Some("")), "{addr}: no host");
        }
    }

    #[test]
    fn the_bound_address_interfaces_and_added_names_answer() {
        let bound = HostCheck::new("192.0.2.7:8080".parse().expect("address"), &["Dossier.Newsroom:9000".into()]);
        assert!(bound.allows(Some("192.0.2.7:8080")));
        assert!(bound.allows(Some("dossier.newsroom")));
        assert!(!bound.allows(Some("192.0.2.8")));
        let everywhere = HostCheck::new("0.0.0.0:8080".parse().expect("address"), &[]);
        for address in interface_addresses() {
            let host = if address.is_ipv6() { format!("[{address}]:8080") } else { format!("{address}:8080") };
            assert!(everywhere.allows(Some(&host)), "{host}");
        }
        assert!(!everywhere.allows(Some("192.0.2.8")), "an address that is not this machine's");
        if let Some(machine) = machine_name() {
            assert!(everywhere.allows(Some(&format!("{machine}:8080"))), "{machine}");
            assert!(bound.allows(Some(&format!("{machine}.local"))), "{machine}.local");
        }
    }
}
