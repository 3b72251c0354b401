import Crypto
import Foundation
import LoaSystem
import NIOSSL
import SystemPackage
import SwiftASN1
import X509

/// The console's TLS certificate: the engineer's own (`--tls-cert`, `--tls-key`), or one the
/// console makes on its first start for this PC's names and addresses, kept beside the log
/// (`kha-son.console.crt`, `kha-son.console.key`, the key readable by its owner only). Browsers
/// give the microphone only to a secure page, so the live page needs it.
public enum ConsoleCertificate {
    public static func paths(logPath: String) -> (certificate: String, key: String) {
        let base = URL(fileURLWithPath: logPath).deletingPathExtension().path + ".console"
        return (base + ".crt", base + ".key")
    }

    /// The server's TLS configuration from the given PEM files, or from the console's own,
    /// made now if missing. Throws a ConsoleError naming the file that cannot be used.
    public static func tls(certificate: String?, key: String?, logPath: String, now: Date = Date()) throws -> TLSConfiguration {
        var files = (certificate: certificate ?? "", key: key ?? "")
        if certificate == nil || key == nil {
            files = paths(logPath: logPath)
            if !FileManager.default.fileExists(atPath: files.certificate) || !FileManager.default.fileExists(atPath: files.key) {
                try make(at: files, names: localNames(), now: now)
            }
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(files.certificate).map { NIOSSLCertificateSource.certificate($0) }
            let key = try NIOSSLPrivateKey(file: files.key, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        } catch {
            throw ConsoleError.invalid("\(files.certificate), \(files.key): not a PEM certificate and its key: \(error)")
        }
    }

    /// This PC's host name, `localhost`, and its IPv4 and IPv6 addresses.
    static func localNames() -> (dns: [String], ips: [String]) {
        var dns = ["localhost"]
        let host = ProcessInfo.processInfo.hostName
        if !host.isEmpty, host != "localhost" { dns += [host, host + ".local"] }
        var ips = ["127.0.0.1", "::1"]
        var list: UnsafeMutablePointer<ifaddrs>?
        if getifaddrs(&list) == 0, let first = list {
            defer { freeifaddrs(list) }
            for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
                guard let address = entry.pointee.ifa_addr else { continue }
                let family = Int32(address.pointee.sa_family)
                guard family == AF_INET || family == AF_INET6 else { continue }
                var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
                if getnameinfo(address, length, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0 {
                    let ip = String(cString: text)
                    if !ip.contains("%"), !ips.contains(ip) { ips.append(ip) }
                }
            }
        }
        return (dns, ips)
    }

    /// A self-signed P-256 certificate for `names`, valid ten years, written as PEM files.
    static func make(at files: (certificate: String, key: String), names: (dns: [String], ips: [String]), now: Date) throws {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName("Loa console \(names.dns.dropFirst().first ?? "localhost")")
            OrganizationName("Loa")
        }
        var alternatives = names.dns.map { GeneralName.dnsName($0) }
        for ip in names.ips {
            var bytes = [UInt8](repeating: 0, count: 16)
            if inet_pton(AF_INET, ip, &bytes) == 1 {
                alternatives.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes.prefix(4)))))
            } else if inet_pton(AF_INET6, ip, &bytes) == 1 {
                alternatives.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
            }
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: now.addingTimeInterval(-86_400),
            notValidAfter: now.addingTimeInterval(10 * 365 * 86_400), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternatives)
            }, issuerPrivateKey: .init(key))
        let pem = try certificate.serializeAsPEM().pemString
        do {
            try DurableFile.write(Data(key.pemRepresentation.utf8), to: files.key, permissions: .ownerReadWrite)
            try DurableFile.write(Data((pem + "\n").utf8), to: files.certificate)
        } catch {
            throw ConsoleError.invalid("cannot write the console's certificate: \(error)")
        }
    }
}
