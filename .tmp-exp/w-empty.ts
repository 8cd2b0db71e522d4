declare const self: Worker
self.onmessage = () => postMessage('ok')
postMessage('ready')
