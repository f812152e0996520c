#include "ppp/ccp/mppc_codec.h"

#include <algorithm>
#include <vector>

#include "core/wire.h"
#include "ppp/ccp/mppc.h"
#include "ppp/ccp/mppe.h"

namespace mlppp::ppp::ccp {
namespace {

constexpr uint8_t kFlagBits = 0xF0;
// RFC 3078 §7.1: the key changes on the packet whose count ends in 0xFF.
constexpr uint16_t kFlagPacketMask = 0x00FF;
constexpr uint16_t kCountSpace = kMppcCoherencyMask + 1;
// Stateless mode: a count this far ahead or more is taken as an old packet
// (duplicated or reordered), not as loss: dropped without touching the key.
// Re-keying for it, as Linux does, would leave us 4096 keys away from the
// peer for good.
constexpr uint16_t kMaxStatelessJump = kCountSpace / 2;
// Each key change costs a SHA-1 and an RC4 key set-up on the event loop, and
// a forged count would make us pay for up to 2047 of them. So catching up
// after loss is paid from a budget: every packet taken earns
// kRekeyCredit, the budget holds at most kMaxRekeyCredit (a full jump), and
// a jump larger than the budget is dropped like a stale one. Real loss
// (hundreds of packets after a stretch of traffic) is always covered; a
// flood of forged counts costs at most kRekeyCredit key changes a packet.
constexpr uint32_t kRekeyCredit = 8;
constexpr uint32_t kMaxRekeyCredit = kMaxStatelessJump;
// Stateful mode, discarding until a flushed packet: ask for a reset again
// every this many discarded packets, so that a lost Reset-Request or a lost
// flushed packet does not stall the link (the codec has no clock).
constexpr uint32_t kResetRepeat = 32;

bool IsFlagPacket(uint16_t ccount) { return (ccount & kFlagPacketMask) == kFlagPacketMask; }

Status CheckParams(const MppcParams& p) {
  if (!p.compress && p.key_bits == 0)
    return Status::Error("MPPC/MPPE: neither compression nor encryption");
  if (p.key_bits != 0 && !MppeKeyBitsValid(p.key_bits)) {
    return Status::Error("MPPE key strength must be 40, 56 or 128 bits");
  }
  return Status::Ok();
}

// Stateful MPPE, a flushed packet that is not a flag packet. MPPE alone
// (a CCP Reset-Request answered): a new session key, as Linux's
// ppp_mppe.c does on both sides, Debian's pppd being the peer. With MPPC
// too, A also marks MPPC's own history resets, which are frequent; there
// Linux has no say (it has no MPPC) and we do what FreeBSD's ng_mppc (mpd5)
// does: restart RC4 on the current key. Then the key depends on the
// coherency count alone, and a lost flushed packet cannot leave the two
// sides a key apart.
void FlushedKeyChange(const MppcParams& p, MppeCipher& c) {
  if (p.compress) {
    c.Restart();
  } else {
    c.Rekey();
  }
}

DecodeResult Drop(std::string_view why) { return {DecodeResult::Kind::kDrop, 0, why}; }
DecodeResult ResetNeeded(std::string_view why) {
  return {DecodeResult::Kind::kResetNeeded, 0, why};
}

class MppcEncoder final : public Encoder {
 public:
  MppcEncoder(const MppcParams& p, std::shared_ptr<MppeCipher> mppe)
      : params_(p), mppe_(std::move(mppe)) {}

  EncodeResult Encode(uint16_t protocol, Packet& info) override {
    return Run(protocol, info, nullptr, nullptr);
  }

  EncodeResult EncodeDeferred(uint16_t protocol, Packet& info, CryptRunner& runner,
                              CryptJob& job) override {
    job = {};
    // With MPPC the compressor's history sits between packets and the
    // pass is cheap beside it: only MPPE alone defers.
    if (params_.compress || !mppe_) return Encode(protocol, info);
    return Run(protocol, info, &runner, &job);
  }

  bool ResetRequested() override {
    // RFC 2118 §3.1 / RFC 3078 §8: the next packet carries A; MPPC starts
    // from an empty history; stateful MPPE changes the key on that packet
    // (ppp_mppe.c: several Reset-Requests before it still mean one change).
    reset_pending_ = true;
    if (params_.compress) compressor_.Reset();
    return false;
  }

 private:
  // Encode, with the RC4 pass left in *job when `job` is given (then the
  // queued passes are run through `runner` before any key change).
  EncodeResult Run(uint16_t protocol, Packet& info, CryptRunner* runner, CryptJob* job) {
    if (params_.compress && info.size() + 2 > kMppcHistorySize) return EncodeResult::kDrop;
    uint8_t* proto = info.Prepend(2);
    proto[0] = static_cast<uint8_t>(protocol >> 8);
    proto[1] = static_cast<uint8_t>(protocol);

    ccount_ = (ccount_ + 1) & kMppcCoherencyMask;
    uint16_t rekeys = 0;  // key changes left to the deferred job
    // Whether this packet must carry A, decided before compressing so the
    // history is reset to match (A resets the peer's history too).
    bool flush = params_.stateless || reset_pending_ || (mppe_ && IsFlagPacket(ccount_));
    reset_pending_ = false;

    uint8_t flags = 0;
    if (params_.compress) {
      if (flush) compressor_.Reset();
      flags = compressor_.Compress(info.span(), out_);
      info.Resize(out_.size());
      std::copy(out_.begin(), out_.end(), info.span().begin());
    }
    if (flush) flags |= kMppcFlushed;
    if (mppe_) {
      flags |= kMppeEncrypted;
      // RFC 3078 §7: stateless changes the key on every packet, stateful on
      // the flag packet; for other flushed packets see FlushedKeyChange().
      bool rekey = params_.stateless || IsFlagPacket(ccount_);
      if (job && params_.stateless) {
        // Left to the queue, which makes it in order, with other
        // sessions' key changes in lockstep; a failure there zeroes the
        // payload (fail closed).
        rekeys = 1;
      } else {
        if ((rekey || (flags & kMppcFlushed)) && runner) runner->RunQueued();
        if (rekey) {
          mppe_->Rekey();
        } else if (flags & kMppcFlushed) {
          FlushedKeyChange(params_, *mppe_);
        }
        if (!mppe_->ok()) return EncodeResult::kDrop;
      }
    }
    // The header first: Prepend may move the data, the pass must not see
    // it move afterwards.
    uint8_t* hdr = info.Prepend(kMppcHeaderSize);
    uint16_t h = static_cast<uint16_t>((flags & kFlagBits) << 8 | ccount_);
    hdr[0] = static_cast<uint8_t>(h >> 8);
    hdr[1] = static_cast<uint8_t>(h);
    if (mppe_) {
      std::span<uint8_t> payload = info.span().subspan(kMppcHeaderSize);
      if (job) {
        *job = CryptJob{mppe_, payload, rekeys};
      } else {
        mppe_->Crypt(payload);
        if (!mppe_->ok()) return EncodeResult::kDrop;
      }
    }
    return EncodeResult::kDatagram;
  }

  MppcParams params_;
  std::shared_ptr<MppeCipher> mppe_;
  MppcCompressor compressor_;
  std::vector<uint8_t> out_;
  uint16_t ccount_ = kMppcCoherencyMask;  // the first packet is 0
  bool reset_pending_ = false;
};

class MppcDecoder final : public Decoder {
 public:
  MppcDecoder(const MppcParams& p, std::shared_ptr<MppeCipher> mppe)
      : params_(p), mppe_(std::move(mppe)) {}

  DecodeResult Decode(Packet& pkt) override { return Run(pkt, nullptr, nullptr); }

  DecodeResult DecodeDeferred(Packet& pkt, CryptRunner& runner, CryptJob& job) override {
    job = {};
    // As in the encoder: MPPC's history needs the clear text at once.
    if (params_.compress || !mppe_) return Decode(pkt);
    return Run(pkt, &runner, &job);
  }

 private:
  // Decode, with the RC4 pass left in *job when `job` is given (then the
  // queued passes are run through `runner` before any key change).
  DecodeResult Run(Packet& pkt, CryptRunner* runner, CryptJob* job) {
    // The queued passes belong to the keys before this packet's changes.
    auto before_key_change = [runner] {
      if (runner) runner->RunQueued();
    };
    uint16_t rekeys = 0;  // stateless key changes left to the deferred job
    WireReader r(pkt.span());
    uint16_t h = r.U16();
    if (!r.ok()) return Drop("short packet");
    uint8_t flags = static_cast<uint8_t>(h >> 8) & kFlagBits;
    uint16_t ccount = h & kMppcCoherencyMask;
    bool flushed = flags & kMppcFlushed;

    // Sanity checks (ppp_mppe.c mppe_decompress, ng_mppc_decompress):
    // nothing here touches the state.
    if (mppe_ && !(flags & kMppeEncrypted)) return Drop("not encrypted");
    if (!mppe_ && (flags & kMppeEncrypted)) return Drop("unexpectedly encrypted");
    if (!params_.compress && (flags & kMppcCompressed)) return Drop("unexpectedly compressed");
    if (params_.stateless && !flushed) return Drop("flushed bit missing in stateless mode");
    if (mppe_ && !params_.stateless && IsFlagPacket(ccount) && !flushed) {
      return Drop("flushed bit missing on flag packet");
    }

    // Decrypting keeps the length: without MPPC a short payload is known
    // before any state moves.
    if (!params_.compress && pkt.size() < kMppcHeaderSize + 2) return Drop("payload too short");

    if (params_.stateless) {
      // RFC 3078 §8.1: one key change per count step since the last packet.
      uint16_t steps = (ccount - last_) & kMppcCoherencyMask;
      rekey_budget_ = std::min(rekey_budget_ + kRekeyCredit, kMaxRekeyCredit);
      if (steps == 0 || steps >= kMaxStatelessJump) return Drop("stale coherency count");
      if (mppe_ && steps > rekey_budget_) return Drop("coherency jump beyond the re-key budget");
      if (mppe_) rekey_budget_ -= steps;
      if (mppe_ && job) {
        rekeys = steps;  // made by the queue, in order (see CryptJob)
      } else if (mppe_) {
        before_key_change();
        for (uint16_t i = 0; i < steps; ++i) mppe_->Rekey();
      }
      last_ = ccount;
    } else {
      uint16_t expected = (last_ + 1) & kMppcCoherencyMask;
      if (ccount != expected || discarding_) {
        if (!flushed) {
          // RFC 3078 §8.2 / RFC 2118 §3.1: out of step; wait for A.
          bool first = !discarding_;
          discarding_ = true;
          if (first || ++discarded_ % kResetRepeat == 0) {
            return ResetNeeded("coherency count out of step");
          }
          return Drop("discarding until flushed packet");
        }
        // A flushed packet resynchronises: one key change for every flag
        // packet we missed (ppp_mppe.c's loop over the high nibble).
        if (mppe_) {
          before_key_change();
          uint16_t e = expected;
          while ((ccount & ~kFlagPacketMask) != (e & ~kFlagPacketMask)) {
            mppe_->Rekey();
            e = (e + 0x100) & kMppcCoherencyMask;
          }
        }
      }
      discarding_ = false;
      discarded_ = 0;
      last_ = ccount;
      if (mppe_ && (IsFlagPacket(ccount) || flushed)) before_key_change();
      if (mppe_ && IsFlagPacket(ccount)) {
        mppe_->Rekey();
      } else if (mppe_ && flushed) {
        FlushedKeyChange(params_, *mppe_);
      }
    }

    pkt.Pull(kMppcHeaderSize);
    if (job) {
      // Only MPPE alone defers (DecodeDeferred), and its payload was checked
      // to hold at least the protocol field: FinishDeferred cannot fail.
      if (!mppe_->ok()) return Drop("MPPE cipher failed");
      *job = CryptJob{mppe_, pkt.span(), rekeys};
      return {DecodeResult::Kind::kOk, 0, {}};
    }
    if (mppe_) {
      mppe_->Crypt(pkt.span());
      if (!mppe_->ok()) return Drop("MPPE cipher failed");
    }
    if (params_.compress) {
      if (!decompressor_.Decompress(pkt.span(), flags, out_)) {
        if (params_.stateless) return Drop("corrupt data");
        discarding_ = true;
        return ResetNeeded("corrupt data");
      }
      pkt.Resize(out_.size());
      std::copy(out_.begin(), out_.end(), pkt.span().begin());
    }

    return FinishDeferred(pkt);
  }

  MppcParams params_;
  std::shared_ptr<MppeCipher> mppe_;
  MppcDecompressor decompressor_;
  std::vector<uint8_t> out_;
  uint16_t last_ = kMppcCoherencyMask;       // the count of the last packet taken
  uint32_t rekey_budget_ = kMaxRekeyCredit;  // stateless: key changes we may still spend
  bool discarding_ = false;
  uint32_t discarded_ = 0;
};

Result<std::shared_ptr<MppeCipher>> MakeCipher(const MppcParams& p) {
  if (p.key_bits == 0) return std::shared_ptr<MppeCipher>();
  auto c = MppeCipher::Create(p.start_key, p.key_bits);
  if (!c) return c.status();
  return std::shared_ptr<MppeCipher>(std::move(*c));
}

}  // namespace

Result<std::unique_ptr<Encoder>> MakeMppcEncoder(const MppcParams& params) {
  if (Status s = CheckParams(params); !s) return s;
  auto cipher = MakeCipher(params);
  if (!cipher) return cipher.status();
  return std::unique_ptr<Encoder>(new MppcEncoder(params, std::move(*cipher)));
}

Result<std::unique_ptr<Decoder>> MakeMppcDecoder(const MppcParams& params) {
  if (Status s = CheckParams(params); !s) return s;
  auto cipher = MakeCipher(params);
  if (!cipher) return cipher.status();
  return std::unique_ptr<Decoder>(new MppcDecoder(params, std::move(*cipher)));
}

}  // namespace mlppp::ppp::ccp
