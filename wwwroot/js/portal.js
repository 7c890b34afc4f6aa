// Saves bytes the circuit streams to the browser as a file.
window.portal = {
  downloadFromStream: async (fileName, contentType, streamRef) => {
    const buffer = await streamRef.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type: contentType }));
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = fileName;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    URL.revokeObjectURL(url);
  },
  copyText: (text) => navigator.clipboard.writeText(text),
};
