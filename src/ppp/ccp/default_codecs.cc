#include "ppp/ccp/default_codecs.h"

#include <openssl/crypto.h>

#include <string>

#include "ppp/ccp/deflate.h"
#include "ppp/ccp/mppc_codec.h"
#include "ppp/ccp/pred1.h"

namespace mlppp::ppp {
namespace {

int KeyBits(uint32_t bits) {
  if (bits & kMppe128) return 128;
  if (bits & kMppe56) return 56;
  if (bits & kMppe40) return 40;
  return 0;
}

// Option 18's bits as the codec takes them, keyed with `key` (the send key
// for an encoder, the receive key for a decoder).
Result<ccp::MppcParams> MppcParamsFor(const CcpDirection& d,
                                      const std::optional<aaa::MppeKeys>& keys, bool send) {
  ccp::MppcParams p;
  p.compress = d.mppc_bits & kMppcCompress;
  p.key_bits = KeyBits(d.mppc_bits);
  p.stateless = d.mppc_bits & kMppeStateless;
  if (p.key_bits) {
    if (!keys) return Status::Error("MPPE without keys (authenticate with MS-CHAP)");
    p.start_key = send ? keys->send : keys->recv;
  }
  return p;
}

ccp::DeflateParams DeflateParamsFor(const CcpDirection& d, uint16_t mru) {
  ccp::DeflateParams p;
  p.window_bits = d.deflate_window;
  // Linux ppp_deflate: decompressed output beyond the MRU is an error.
  p.max_info = mru;
  return p;
}

}  // namespace

DefaultCcpCodecs::~DefaultCcpCodecs() {
  if (keys_) OPENSSL_cleanse(&*keys_, sizeof(*keys_));
}

Result<std::unique_ptr<ccp::Encoder>> DefaultCcpCodecs::MakeEncoder(const CcpDirection& d) {
  switch (d.method) {
    case CcpMethod::kMppc: {
      auto p = MppcParamsFor(d, keys_, true);
      if (!p) return p.status();
      return ccp::MakeMppcEncoder(*p);
    }
    case CcpMethod::kDeflate:
      return ccp::MakeDeflateEncoder(DeflateParamsFor(d, mru_));
    case CcpMethod::kPred1:
      return ccp::MakePred1Encoder();
    case CcpMethod::kNone:
      break;
  }
  return Status::Error("no method");
}

Result<std::unique_ptr<ccp::Decoder>> DefaultCcpCodecs::MakeDecoder(const CcpDirection& d) {
  switch (d.method) {
    case CcpMethod::kMppc: {
      auto p = MppcParamsFor(d, keys_, false);
      if (!p) return p.status();
      return ccp::MakeMppcDecoder(*p);
    }
    case CcpMethod::kDeflate:
      return ccp::MakeDeflateDecoder(DeflateParamsFor(d, mru_));
    case CcpMethod::kPred1:
      return ccp::MakePred1Decoder();
    case CcpMethod::kNone:
      break;
  }
  return Status::Error("no method");
}

}  // namespace mlppp::ppp
