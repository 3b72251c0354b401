#!/usr/bin/env bash
# Makes the sample audio of the bundled Kha Sơn example: Vietnamese messages spoken by espeak-ng
# (numbers written out in words, since espeak reads "156" and dates badly), the station's nhạc hiệu
# synthesised by sox, some encoded to MP3 with lame so both formats are exercised.
# Needs: espeak-ng sox lame (Debian packages). Deterministic for a given version of those tools.
set -euo pipefail
cd "$(dirname "$0")"

say() { # say NAME TEXT: NAME.wav, 16 kHz mono 16-bit
    espeak-ng -v vi -s 155 -w "/tmp/loa-say-$$.wav" "$2"
    sox "/tmp/loa-say-$$.wav" -r 16000 -c 1 -b 16 "$1.wav" norm -3
    rm -f "/tmp/loa-say-$$.wav"
}
to_mp3() { # to_mp3 NAME: NAME.mp3 from NAME.wav, then drop the WAV
    lame --quiet -b 48 -m m "$1.wav" "$1.mp3"
    rm -f "$1.wav"
}

# Nhạc hiệu: a short rising three-note phrase, and a falling one to close.
sox -n -r 16000 -c 1 -b 16 nhac-hieu-mo-dau.wav synth 0.6 sine 523 synth 0.6 sine 659 : synth 0.6 sine 784 : synth 1.2 sine 1047 fade 0.05 0 0.3 norm -6
sox -n -r 16000 -c 1 -b 16 nhac-hieu-ket-thuc.wav synth 0.6 sine 784 : synth 0.6 sine 659 : synth 1.2 sine 523 fade 0.05 0 0.3 norm -6

# Chiến dịch phòng, chống lừa đảo trực tuyến (UBND xã Kha Sơn, 25/11 - 15/12/2024).
say "lừa-đảo-nhận-diện" "Đài truyền thanh xã Kha Sơn xin thông báo. Từ ngày hai mươi lăm tháng mười một đến hết ngày mười lăm tháng mười hai, xã triển khai chiến dịch tuyên truyền phòng, chống lừa đảo trực tuyến, bảo vệ người dân trên không gian mạng. Bà con hãy cảnh giác với cuộc gọi, tin nhắn lạ tự xưng là công an, ngân hàng hay nhà mạng. Không cung cấp mã xác thực, không chuyển tiền cho người lạ."
say "lua-dao-tong-dai" "Khi phát hiện dấu hiệu lừa đảo trên không gian mạng, bà con hãy báo ngay cho công an xã, hoặc gọi đến tổng đài một năm sáu để được hỗ trợ."
to_mp3 "lua-dao-tong-dai"
say "lua-dao-thong-bao-rac" "Tin nhắn rác, cuộc gọi rác, cuộc gọi có dấu hiệu lừa đảo, bà con có thể phản ánh tại trang thông báo rác chấm a i ét chấm gốp chấm vê en của Bộ Thông tin và Truyền thông."
to_mp3 "lua-dao-thong-bao-rac"

# Hưởng ứng Ngày chuyển đổi số tỉnh Thái Nguyên (31/12).
say "chuyen-doi-so" "Hưởng ứng ngày chuyển đổi số tỉnh Thái Nguyên, ba mươi mốt tháng mười hai, tổ công nghệ số cộng đồng các xóm sẵn sàng hướng dẫn bà con cài đặt và sử dụng an toàn các dịch vụ công trực tuyến."
