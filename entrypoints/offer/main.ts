import { startOffer } from '../../src/offer/offer';
import './style.css';

// Framed by the content script inside a closed shadow root; the nonce in the hash binds it to one field.
startOffer(document);
