/// The console's only JavaScript: ES modules for the live page, served from the binary
/// (`/js/...`), no bundler, no framework. Every other page works without them.
enum LiveScripts {
    static let files: [String: String] = ["live.js": live, "capture-worklet.js": worklet, "record.js": record]

    /// The microphone to the daemon: an AudioWorklet hands 128-frame quanta to the page, which
    /// sends them as 20 ms frames (LiveFrame) over the WebSocket as they are spoken.
    static let live = """
        // Nói trực tiếp: the microphone, in 20 ms PCM frames, over a WebSocket to the console.
        const form = document.getElementById('live');
        const button = document.getElementById('live-button');
        const state = document.getElementById('live-state');
        let session = null;

        form.querySelector('.needs-js').hidden = true;
        button.hidden = false;

        function show(text, kind) {
          state.textContent = text;
          state.className = kind;
        }

        // A channel's name as its checkbox shows it.
        function channelName(id) {
          const box = form.querySelector('input[name=channels][value="' + CSS.escape(id) + '"]');
          return box ? box.parentElement.textContent.trim() : id;
        }

        function startFrame(request) {
          const json = new TextEncoder().encode(JSON.stringify(request));
          const frame = new Uint8Array(json.length + 1);
          frame[0] = 83; // 'S'
          frame.set(json, 1);
          return frame;
        }

        function audioFrame(samples, sequence) {
          const buffer = new ArrayBuffer(16 + samples.length * 2);
          const view = new DataView(buffer);
          view.setUint8(0, 65); // 'A'
          view.setUint32(4, sequence, true);
          // When its first sample was captured: now, less the frame's length.
          view.setFloat64(8, performance.timeOrigin + performance.now() - samples.length / 48, true);
          new Int16Array(buffer, 16).set(samples);
          return buffer;
        }

        async function start() {
          const channels = [...form.querySelectorAll('input[name=channels]:checked')].map((box) => box.value);
          const level = form.querySelector('input[name=level]:checked').value;
          let stream;
          try {
            // The village loudspeaker cannot be cancelled out, and processing costs the voice.
            stream = await navigator.mediaDevices.getUserMedia({
              audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1 },
            });
          } catch (error) {
            show('Không mở được micrô: ' + error.message + '. Hãy cho phép trang dùng micrô.', 'warning');
            return;
          }
          let context;
          try {
            context = new AudioContext({ sampleRate: 48000, latencyHint: 'interactive' });
          } catch {
            context = new AudioContext({ latencyHint: 'interactive' });
          }
          await context.audioWorklet.addModule('/js/capture-worklet.js');
          const node = new AudioWorkletNode(context, 'loa-capture');
          context.createMediaStreamSource(stream).connect(node);
          const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
          const socket = new WebSocket(scheme + location.host + '/truc-tiep/ws?csrf=' + encodeURIComponent(form.elements.csrf.value));
          socket.binaryType = 'arraybuffer';
          const current = { stream, context, socket, sequence: 0, ending: false };
          session = current;
          socket.onopen = () => socket.send(startFrame({ channels: channels.length ? channels : null, level }));
          socket.onmessage = (event) => answer(JSON.parse(event.data));
          socket.onclose = () => stop(current, 'Đã ngắt kết nối với máy phát.');
          node.port.onmessage = (event) => {
            if (socket.readyState === WebSocket.OPEN) socket.send(audioFrame(event.data, ++current.sequence));
          };
          button.textContent = 'Kết thúc';
          button.classList.add('on');
          show('Đang chờ kênh...', 'notice');
        }

        function answer(status) {
          if (status.state === 'waiting') show('Đang chờ bản tin đang phát kết thúc...', 'notice');
          if (status.state === 'on-air') show('ĐANG PHÁT trên ' + status.channels.map(channelName).join(', ') + ': mời nói.', 'onair');
          if (status.state === 'refused') stop(session, status.message);
          if (status.state === 'ended') {
            const recorded = status.recording ? ' Bản ghi: ' + status.recording + '.' : '';
            stop(session, status.message + recorded);
          }
        }

        function stop(current, message) {
          if (!current || current.stopped) return;
          current.stopped = true;
          current.stream.getTracks().forEach((track) => track.stop());
          current.context.close();
          if (current.socket.readyState === WebSocket.OPEN) current.socket.close();
          if (session === current) session = null;
          button.textContent = 'Bắt đầu nói';
          button.classList.remove('on');
          show(message, 'notice');
        }

        button.addEventListener('click', () => {
          if (!session) return start();
          if (session.ending) return;
          session.ending = true;
          session.socket.send(new Uint8Array([69])); // 'E'
          show('Đang kết thúc...', 'notice');
        });
        """

    /// Runs on the audio thread: quanta of 128 frames in, 20 ms of 16-bit mono at 48 kHz out
    /// (resampled linearly when the browser's context runs at another rate).
    static let worklet = """
        class Capture extends AudioWorkletProcessor {
          constructor() {
            super();
            this.frame = new Int16Array(960);
            this.filled = 0;
            this.step = sampleRate / 48000;
            this.position = 0;
            this.previous = 0;
          }

          process(inputs) {
            const input = inputs[0][0];
            if (!input) return true;
            // Output sample n sits at input position n * step; `position` runs over this quantum.
            while (this.position < input.length) {
              const index = Math.floor(this.position);
              const fraction = this.position - index;
              const a = index === 0 ? this.previous : input[index - 1];
              const b = input[index];
              const value = a + (b - a) * fraction;
              this.frame[this.filled++] = Math.max(-32768, Math.min(32767, Math.round(value * 32767)));
              if (this.filled === this.frame.length) {
                this.port.postMessage(this.frame);
                this.frame = new Int16Array(960);
                this.filled = 0;
              }
              this.position += this.step;
            }
            this.position -= input.length;
            this.previous = input[input.length - 1];
            return true;
          }
        }
        registerProcessor('loa-capture', Capture);
        """

    /// Ghi âm rồi phát: MediaRecorder into the form's file field, played back before it is sent.
    static let record = """
        // Ghi âm rồi phát: records in the page and puts the recording in the form's file field,
        // so the same form (which works without JavaScript, with a file chosen) sends it.
        const form = document.getElementById('record');
        const button = document.getElementById('record-button');
        const preview = document.getElementById('record-preview');
        const field = form.elements.audio;
        let recorder = null;

        if (window.MediaRecorder) button.hidden = false;

        button.addEventListener('click', async () => {
          if (recorder) {
            recorder.stop();
            return;
          }
          const stream = await navigator.mediaDevices.getUserMedia({
            audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
          });
          const chunks = [];
          recorder = new MediaRecorder(stream);
          recorder.ondataavailable = (event) => chunks.push(event.data);
          recorder.onstop = () => {
            stream.getTracks().forEach((track) => track.stop());
            const type = recorder.mimeType || 'audio/webm';
            const blob = new Blob(chunks, { type });
            const extension = type.includes('mp4') ? 'm4a' : type.includes('ogg') ? 'ogg' : 'webm';
            const files = new DataTransfer();
            files.items.add(new File([blob], 'ghi-am.' + extension, { type }));
            field.files = files.files;
            preview.src = URL.createObjectURL(blob);
            preview.hidden = false;
            recorder = null;
            button.textContent = 'Ghi âm lại';
          };
          recorder.start();
          button.textContent = 'Dừng ghi';
        });
        """
}
