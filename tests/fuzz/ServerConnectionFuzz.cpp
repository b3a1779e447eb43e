// Fuzzing ssh::ServerConnection, the code that reads every byte an rport
// client (or anybody reaching the client listener) sends.
//
// The first input byte picks a mode:
//   even  the bytes go in as they are, in chunks the input chooses: the
//         identification line, plaintext KEXINIT and KEX_ECDH_INIT parsing,
//         the packet layer's length and padding checks;
//   odd   a scripted client first completes a real key exchange (X25519,
//         the cipher and strict-kex choice from the second byte), and the
//         rest is a list of steps: payloads sealed under the negotiated keys
//         (so the fuzzer reaches authentication, global requests and channels,
//         which sit behind AEAD tags it could never forge), raw bytes, and
//         the application's calls (answers, channel opens and writes, a clock
//         jump that makes the server re-key, a client re-key).
// The scripted client also decrypts everything the server sends while it is
// in step with it, so output the server framed wrongly would show up as a
// decryption failure in a state where none is possible (abort()).
#include <openssl/evp.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "FuzzEntry.h"
#include "ssh/HostKey.h"
#include "ssh/KeyExchange.h"
#include "ssh/PacketLayer.h"
#include "ssh/ServerConnection.h"
#include "ssh/SshMessages.h"
#include "ssh/SshWire.h"

using namespace rportd::ssh;

namespace {

const HostKey& hostKey() {
    static const HostKey key = HostKey::fromSeed("fuzzing");
    return key;
}

struct Input {
    const uint8_t* data;
    size_t size;
    bool empty() const { return size == 0; }
    uint8_t byte() {
        if (size == 0) return 0;
        --size;
        return *data++;
    }
    std::string_view take(size_t n) {
        n = n < size ? n : size;
        std::string_view out(reinterpret_cast<const char*>(data), n);
        data += n;
        size -= n;
        return out;
    }
};

std::string sha256(std::string_view data) {
    unsigned char digest[32];
    unsigned int size = 0;
    EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<char*>(digest), size);
}

class Recorder : public ChannelHandler {
public:
    Channel* channel = nullptr;
    void onOpened(Channel& c) override { channel = &c; }
    void onOpenFailed(uint32_t, std::string_view) override { channel = nullptr; }
    void onData(Channel& c, std::string_view bytes) override {
        // Hand back half at once, so that both the slow and the eager reader
        // paths of the window run.
        c.consumed(bytes.size() / 2);
    }
    void onClosed(Channel&) override { channel = nullptr; }
};

class Harness : public ServerConnection::Events {
public:
    explicit Harness(int64_t* clock) {
        ServerSettings settings;
        settings.clock = [clock] { return *clock; };
        // Small figures so that the fuzzer reaches the limits.
        settings.channelWindow = 4096;
        settings.channelMaxPacket = 1024;
        settings.maxChannels = 4;
        settings.rekeyAfterBytes = 64 * 1024;
        server = std::make_unique<ServerConnection>(hostKey(), settings, *this);
    }

    // ServerConnection::Events
    void send(std::string&& bytes) override { output += bytes; }
    void onPasswordAttempt(std::string_view, std::string_view) override { passwordPending = true; }
    void onGlobalRequest(std::string_view, bool wantReply, std::string_view) override {
        if (wantReply) ++repliesOwed;
    }
    void onEnded(std::string_view, bool) override { ended = true; }

    Recorder channels[4];  // before the server: outlives its channels
    std::unique_ptr<ServerConnection> server;
    std::string output;
    bool passwordPending = false;
    size_t repliesOwed = 0;
    bool ended = false;
};

// The client's side of the transport, just enough to stay in step with the
// server: key exchanges (X25519, one cipher) and packet protection.
class ScriptedClient {
public:
    ScriptedClient(Harness& harness, const CipherSpec& cipher, bool strict)
        : _h(harness), _cipher(cipher), _strict(strict) {
        unsigned char secret[32];
        for (int i = 0; i < 32; ++i) secret[i] = static_cast<unsigned char>(i * 7 + 1);
        _key.reset(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, secret, 32));
        unsigned char pub[32];
        size_t size = sizeof pub;
        EVP_PKEY_get_raw_public_key(_key.get(), pub, &size);
        _public.assign(reinterpret_cast<char*>(pub), size);
    }

    bool inStep() const { return _inStep && !_h.ended; }
    void lose() { _inStep = false; }

    void feed(std::string_view bytes) { _h.server->receive(bytes); }
    void sendPayload(std::string_view payload) { feed(_out.seal(payload)); }

    bool handshake() {
        feed("SSH-2.0-fuzz\r\n");
        startKex();
        pump();
        return inStep() && _h.server->keyExchanges() == 1;
    }

    // A client-initiated re-key.
    void rekey() {
        if (!inStep() || _kexStarted) return;
        startKex();
        pump();
    }

    // Reads what the server sent, answering its side of a key exchange.
    void pump() {
        if (!_inStep) return;
        if (!_versionSeen) {
            size_t end = _h.output.find("\r\n");
            if (end == std::string::npos) return;
            _serverVersion = _h.output.substr(0, end);
            _h.output.erase(0, end + 2);
            _versionSeen = true;
        }
        // Answering a packet (a key exchange) makes the server say more:
        // read until it has nothing left to say.
        while (_inStep && !_h.output.empty()) {
            _in.append(_h.output);
            _h.output.clear();
            std::string payload;
            try {
                while (_inStep && _in.next(payload)) onServerPacket(payload);
            } catch (const std::exception&) {
                // The server framed a packet we, in step, cannot read.
                abort();
            }
        }
    }

private:
    struct PkeyFree {
        void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
    };

    void startKex() {
        WireWriter w;
        w.byte(kKexInit).raw(std::string(16, '\x5a'));
        std::vector<std::string> kex{"curve25519-sha256"};
        if (_strict && !_firstDone) kex.emplace_back(kStrictKexClient);
        w.nameList(kex).nameList({HostKey::algorithm});
        w.nameList({_cipher.name}).nameList({_cipher.name});
        w.nameList({"hmac-sha2-256"}).nameList({"hmac-sha2-256"});
        w.nameList({"none"}).nameList({"none"}).nameList({}).nameList({});
        w.boolean(false).uint32(0);
        _clientKexInit = w.take();
        _kexStarted = true;
        sendPayload(_clientKexInit);
        sendPayload(WireWriter().byte(kKexEcdhInit).string(_public).take());
    }

    void onServerPacket(const std::string& payload) {
        uint8_t type = static_cast<uint8_t>(payload[0]);
        if (type == kKexInit) {
            _serverKexInit = payload;
            if (!_kexStarted) startKex();  // the server re-keys: follow it
        } else if (type == kKexEcdhReply) {
            computeKeys(payload);
        } else if (type == kNewKeys) {
            if (!_pendingIn) return lose();
            _in.setIncomingCipher(std::move(_pendingIn));
            if (_strict) _in.resetIncomingSequence();
            sendPayload(std::string(1, static_cast<char>(kNewKeys)));
            _out.setOutgoingCipher(std::move(_pendingOut));
            if (_strict) _out.resetOutgoingSequence();
            _kexStarted = false;
            _firstDone = true;
        }
    }

    void computeKeys(std::string_view reply) {
        WireReader r(reply);
        r.byte();
        std::string blob(r.string());
        std::string serverPublic(r.string());
        std::string signature(r.string());
        std::unique_ptr<EVP_PKEY, PkeyFree> theirs(EVP_PKEY_new_raw_public_key(
            EVP_PKEY_X25519, nullptr, reinterpret_cast<const unsigned char*>(serverPublic.data()),
            serverPublic.size()));
        std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(
            EVP_PKEY_CTX_new(_key.get(), nullptr), EVP_PKEY_CTX_free);
        unsigned char shared[32];
        size_t size = sizeof shared;
        if (!theirs || EVP_PKEY_derive_init(ctx.get()) != 1 ||
            EVP_PKEY_derive_set_peer(ctx.get(), theirs.get()) != 1 ||
            EVP_PKEY_derive(ctx.get(), shared, &size) != 1)
            abort();  // the server sent a public key that is not one
        std::string k =
            WireWriter()
                .mpintFromUnsigned(std::string_view(reinterpret_cast<char*>(shared), size))
                .take();
        WireWriter h;
        h.string("SSH-2.0-fuzz").string(_serverVersion);
        h.string(_clientKexInit).string(_serverKexInit);
        h.string(blob).string(_public).string(serverPublic).raw(k);
        std::string hash = sha256(h.buffer());
        if (!verifyHostSignature(blob, hash, signature)) abort();  // a wrong exchange hash
        if (_sessionId.empty()) _sessionId = hash;
        auto derive = [&](char letter, size_t length) {
            std::string key = sha256(
                WireWriter(k).raw(hash).byte(static_cast<uint8_t>(letter)).raw(_sessionId).take());
            while (key.size() < length) key += sha256(WireWriter(k).raw(hash).raw(key).take());
            key.resize(length);
            return key;
        };
        _pendingOut =
            makeCipher(_cipher, derive('C', _cipher.keySize), derive('A', _cipher.ivSize), true);
        _pendingIn =
            makeCipher(_cipher, derive('D', _cipher.keySize), derive('B', _cipher.ivSize), false);
    }

    Harness& _h;
    const CipherSpec& _cipher;
    bool _strict;
    std::unique_ptr<EVP_PKEY, PkeyFree> _key;
    std::string _public;
    PacketLayer _in;
    PacketLayer _out;
    bool _inStep = true;
    bool _versionSeen = false;
    bool _kexStarted = false;
    bool _firstDone = false;
    std::string _serverVersion;
    std::string _clientKexInit;
    std::string _serverKexInit;
    std::string _sessionId;
    std::unique_ptr<PacketCipher> _pendingIn;
    std::unique_ptr<PacketCipher> _pendingOut;
};

void answerPending(Harness& h, bool accept) {
    if (h.passwordPending && !h.ended) {
        h.passwordPending = false;
        h.server->answerPassword(accept);
    }
}

void rawMode(Input in) {
    int64_t clock = 0;
    Harness h(&clock);
    while (!in.empty() && !h.ended) {
        uint8_t chunk = in.byte();
        h.server->receive(in.take(chunk == 0 ? in.size : chunk));
        answerPending(h, chunk & 1);
        h.output.clear();
    }
    h.server->rekeyIfDue();
}

void keyedMode(Input in) {
    int64_t clock = 0;
    Harness h(&clock);
    uint8_t setup = in.byte();
    size_t count = 0;
    const CipherSpec* ciphers = offeredCiphers(count);
    ScriptedClient client(h, ciphers[setup % count], (setup & 0x10) != 0);
    if (!client.handshake()) abort();  // a plain handshake must always work

    while (!in.empty() && !h.ended) {
        uint8_t op = in.byte();
        size_t length = in.byte();
        std::string_view data = in.take(length);
        switch (op % 10) {
            case 0:  // a message under the keys
                if (!data.empty()) {
                    uint8_t type = static_cast<uint8_t>(data[0]);
                    // Key-exchange messages from the fuzzer change keys the
                    // scripted client cannot follow.
                    if (type == kKexInit || type == kNewKeys || type == kKexEcdhInit) client.lose();
                    client.sendPayload(data);
                }
                break;
            case 1:  // raw bytes: most break the stream for good
                client.lose();
                client.feed(data);
                break;
            case 2: {  // log in
                client.sendPayload(
                    WireWriter().byte(kServiceRequest).string("ssh-userauth").take());
                client.sendPayload(WireWriter()
                                       .byte(kUserauthRequest)
                                       .string("clientAuth1")
                                       .string("ssh-connection")
                                       .string("password")
                                       .boolean(false)
                                       .string(data)
                                       .take());
                answerPending(h, !(op & 0x80));
                break;
            }
            case 3:
                answerPending(h, op & 0x80);
                if (h.repliesOwed > 0 && !h.ended) {
                    --h.repliesOwed;
                    h.server->answerGlobalRequest(op & 0x40, data);
                }
                break;
            case 4: {
                Recorder& slot = h.channels[op / 10 % 4];
                if (!slot.channel) h.server->openChannel("rport", data, slot);
                break;
            }
            case 5: {
                Channel* channel = h.channels[op / 10 % 4].channel;
                if (!channel) break;
                switch (op / 40) {
                    case 0:
                        channel->send(std::string(length * 64, 'x'));
                        break;
                    case 1:
                        channel->consumed(length * 16);
                        break;
                    case 2:
                        channel->sendEof();
                        break;
                    default:
                        channel->close();
                }
                break;
            }
            case 6:
                h.server->sendGlobalRequest(
                    "ping", data,
                    op & 0x20 ? ServerConnection::ReplyCallback([](bool, std::string_view) {})
                              : ServerConnection::ReplyCallback());
                break;
            case 7:  // an hour passes: the server re-keys
                clock += 3600 * 1000;
                h.server->rekeyIfDue();
                break;
            case 8:
                client.rekey();
                break;
            default:
                if (op == 249) h.server->disconnect(kByApplication, data);
                break;
        }
        if (client.inStep())
            client.pump();
        else
            h.output.clear();
    }
}

}  // namespace

int rportFuzzServerConnection(const uint8_t* data, size_t size) {
    Input in{data, size};
    if (in.empty()) return 0;
    if (in.byte() & 1)
        keyedMode(in);
    else
        rawMode(in);
    return 0;
}

#ifdef RPORT_LIBFUZZER
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    return rportFuzzServerConnection(data, size);
}
#endif
