#pragma once
// Message numbers and reason codes of the SSH protocol that the server
// speaks (RFC 4250 §4.1, RFC 4253, RFC 4252, RFC 4254, RFC 5656).
#include <cstdint>

namespace rportd::ssh {

enum Message : uint8_t {
    kDisconnect = 1,
    kIgnore = 2,
    kUnimplemented = 3,
    kDebug = 4,
    kServiceRequest = 5,
    kServiceAccept = 6,
    kKexInit = 20,
    kNewKeys = 21,
    kKexEcdhInit = 30,
    kKexEcdhReply = 31,
    kUserauthRequest = 50,
    kUserauthFailure = 51,
    kUserauthSuccess = 52,
    kGlobalRequest = 80,
    kRequestSuccess = 81,
    kRequestFailure = 82,
    kChannelOpen = 90,
    kChannelOpenConfirmation = 91,
    kChannelOpenFailure = 92,
    kChannelWindowAdjust = 93,
    kChannelData = 94,
    kChannelExtendedData = 95,
    kChannelEof = 96,
    kChannelClose = 97,
    kChannelRequest = 98,
    kChannelSuccess = 99,
    kChannelFailure = 100,
};

enum DisconnectReason : uint32_t {
    kProtocolError = 2,
    kKeyExchangeFailed = 3,
    kMacError = 5,
    kServiceNotAvailable = 7,
    kByApplication = 11,
    kTooManyConnections = 12,
    kAuthCancelledByUser = 13,
    kNoMoreAuthMethodsAvailable = 14,
};

enum ChannelOpenFailureReason : uint32_t {
    kAdministrativelyProhibited = 1,
    kConnectFailed = 2,
    kUnknownChannelType = 3,
    kResourceShortage = 4,
};

}  // namespace rportd::ssh
