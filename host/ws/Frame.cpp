#include "ws/Frame.h"

namespace rportd::ws {

bool isSendableCloseCode(uint16_t code) {
    if (code >= 3000 && code <= 4999) return true;
    switch (code) {
        case 1000:
        case 1001:
        case 1002:
        case 1003:
        case 1007:
        case 1008:
        case 1009:
        case 1010:
        case 1011:
        // Registered with IANA after RFC 6455; peers such as Node's ws send them.
        case 1012:
        case 1013:
        case 1014:
            return true;
        default:
            return false;
    }
}

}  // namespace rportd::ws
